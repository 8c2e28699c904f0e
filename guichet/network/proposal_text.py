"""The texts of the proposals the network puts to the associates, in Markdown.

An application's proposal sums up the organisation, its motivation (or the reason of the
procedure) and the evaluations value by value: how many evaluators gave each rating, not what
each wrote, since a proposal's text is published in the decision log once decided and the
evaluators wrote for their peers and the coordinators. A charter's proposal gives the new
text in French and in English, and what changes from the current version. The callers build them
in the site's default language (`translation.override(settings.LANGUAGE_CODE)`): the
associates read one text together.

What people typed (a motivation, a value of the charter) goes in with its Markdown
marks escaped: it reads as typed, and cannot turn into a link, a heading or a list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.network.models import (
    Application,
    ApplicationKind,
    Charter,
    CharterValue,
    EvaluatorAssignment,
    Rating,
)
from guichet.network.selectors_admission import ValueRow

TITLE_LENGTH = 200  # governance.Proposal.title's max_length

_MARKS = re.compile(r"([\\`*_\[\]<&])")
_BLOCK_START = re.compile(r"^([#>+\-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def markdown_line(text: str) -> str:
    """Typed text as one line of Markdown that reads as typed (its marks escaped)."""
    line = _MARKS.sub(r"\\\1", " ".join(text.split()))
    line = _BLOCK_START.sub(r"\\\1", line)
    return _ORDERED_START.sub(r"\1\\\2", line)


def markdown_text(text: str, *, quote: bool = False) -> str:
    """Typed text of several paragraphs as Markdown, its line breaks kept; as a quote if
    asked."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [markdown_line(line) for line in paragraph.splitlines() if line.strip()]
        if lines:
            blocks.append("\\\n".join(lines))
    if not quote:
        return "\n\n".join(blocks)
    return "\n>\n".join("\n".join(f"> {line}" for line in block.split("\n")) for block in blocks)


def _labelled(label: str, value: str) -> str:
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def shortened(text: str, limit: int = TITLE_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# An application: admission, re-evaluation, exclusion.


def application_title(application: Application) -> str:
    titles = {
        ApplicationKind.ADMISSION: _("Admission of %(organisation)s"),
        ApplicationKind.REEVALUATION: _(
            "Periodic re-evaluation of %(organisation)s: does it stay a member?"
        ),
        ApplicationKind.EXCLUSION: _("Exclusion of %(organisation)s"),
    }
    title = titles[ApplicationKind(application.kind)]
    return shortened(title % {"organisation": application.organisation.name})


def _what_adopting_does(application: Application) -> str:
    sentences = {
        ApplicationKind.ADMISSION: _(
            "%(organisation)s applies to join the network. Adopting this proposal admits it; "
            "if it is not adopted, its application is not accepted."
        ),
        ApplicationKind.REEVALUATION: _(
            "%(organisation)s is re-evaluated, as every member is periodically. Adopting this "
            "proposal confirms it as a member; if it is not adopted, the re-evaluation does not "
            "confirm it, which alone does not exclude it: an exclusion is a decision of its own."
        ),
        ApplicationKind.EXCLUSION: _(
            "The exclusion of %(organisation)s from the network is proposed. Adopting this "
            "proposal excludes it; if it is not adopted, it stays a member."
        ),
    }
    sentence = sentences[ApplicationKind(application.kind)]
    return sentence % {"organisation": f"**{markdown_line(application.organisation.name)}**"}


def _organisation_facts(application: Application) -> list[str]:
    organisation = application.organisation
    facts = [(_("Kind"), organisation.get_kind_display())]
    if organisation.commune is not None:
        place = f"{organisation.commune.name} ({organisation.commune.department.code})"
        facts.append((_("City"), place))
    if organisation.siren:
        facts.append(("SIREN", organisation.siren))
    if organisation.website:
        facts.append((_("Website"), organisation.website))
    software = " · ".join(
        f"{link.software.name} ({link.get_role_display().lower()})"
        for link in organisation.software_links.all()
    )
    facts.append((_("Software"), software or "—"))
    facts.append(
        (_("Charter"), _("version %(version)s, signed") % {"version": application.charter.version})
    )
    lines = [f"- {_labelled(f'**{label}**', markdown_line(str(value)))}" for label, value in facts]
    if organisation.description:
        lines += ["", markdown_text(organisation.description)]
    return lines


def _value_section(row: ValueRow) -> list[str]:
    labels = dict(Rating.choices)
    counts = " · ".join(
        _labelled(str(labels[rating]), str(row.counts.get(rating, 0))) for rating in Rating.values
    )
    return [f"### {row.value.position}. {markdown_line(row.value.localized_title)}", "", counts]


def application_text(
    application: Application, assignments: Sequence[EvaluatorAssignment], rows: list[ValueRow]
) -> str:
    """What the associates decide on: the organisation, why, and the evaluations."""
    done = sum(1 for assignment in assignments if assignment.completed_at)
    evaluations = ngettext(
        "%(count)s member organisation evaluated it against each value of version "
        "%(version)s of the charter: its ratings are counted below, value by value.",
        "%(count)s member organisations evaluated it against each value of version "
        "%(version)s of the charter: their ratings are counted below, value by value.",
        done,
    ) % {"count": done, "version": application.charter.version}
    comments = _(
        "What each evaluator wrote stays between the evaluators and the coordinators, since "
        "this text is published in the decision log once decided: ask the coordinators in the "
        "discussion."
    )
    lines = [_what_adopting_does(application), "", evaluations, "", f"## {_('The organisation')}"]
    lines += ["", *_organisation_facts(application)]
    if application.motivation:
        heading = _("Motivation") if application.kind == ApplicationKind.ADMISSION else _("Reason")
        lines += ["", f"## {heading}", "", markdown_text(application.motivation, quote=True)]
    lines += ["", f"## {_('Evaluations, value by value')}", "", comments]
    for row in rows:
        lines += ["", *_value_section(row)]
    url = reverse("network:application", args=[application.pk])
    lines += ["", f"[{_('The application on the guichet')}]({url})"]
    return "\n".join(lines) + "\n"


# A version of the charter.


def charter_title(draft: Charter) -> str:
    return _("Adopt version %(version)s of the charter") % {"version": draft.version}


def _values_in(values: Sequence[CharterValue], *, english: bool) -> list[str]:
    lines: list[str] = []
    for value in values:
        title = value.title_en if english else value.title
        text = value.text_en if english else value.text
        lines += ["", f"### {value.position}. {markdown_line(title)}", "", markdown_text(text)]
    return lines


def _changes(values: Sequence[CharterValue], draft: Charter, current: Charter | None) -> list[str]:
    """What changes from the current version, value by value (a value is known by its title
    in French)."""
    if current is None:
        return [_("This is the network's first charter.")]
    before = {v.title: v for v in current.values.order_by("position")}
    after = {v.title: v for v in values}
    added = [title for title in after if title not in before]
    removed = [title for title in before if title not in after]
    changed = [
        title
        for title, value in after.items()
        if title in before
        and (value.title_en, value.text, value.text_en)
        != (before[title].title_en, before[title].text, before[title].text_en)
    ]
    lines = []
    if added:
        lines.append(_("New values: %(titles)s.") % {"titles": _titles(added)})
    if removed:
        lines.append(_("Values removed: %(titles)s.") % {"titles": _titles(removed)})
    if changed:
        lines.append(_("Values changed: %(titles)s.") % {"titles": _titles(changed)})
    if (draft.preamble, draft.preamble_en) != (current.preamble, current.preamble_en):
        lines.append(_("The preamble changes."))
    kept = [title for title in after if title in before]
    if kept != [title for title in before if title in after]:
        lines.append(_("The values come in a new order."))
    intro = _("Compared with version %(version)s, the current one:") % {"version": current.version}
    if not lines:
        return [
            _("The text is the same as that of version %(version)s, the current one.")
            % {"version": current.version}
        ]
    return [intro, "", *(f"- {line}" for line in lines)]


def _titles(titles: list[str]) -> str:
    return ", ".join(_("“%(title)s”") % {"title": markdown_line(title)} for title in titles)


def charter_text(draft: Charter, values: Sequence[CharterValue], current: Charter | None) -> str:
    """The new version in both languages, and what changes from the current one."""
    lines = [
        _(
            "Adopting this proposal publishes version %(version)s of the charter: it becomes "
            "the current charter, and every member organisation is asked to sign it again. If "
            "it is not adopted, the draft stays as it is, to be changed and put to decision "
            "again."
        )
        % {"version": draft.version},
        "",
        f"## {_('What changes')}",
        "",
        *_changes(values, draft, current),
        "",
        f"## {_('In French')}",
    ]
    if draft.preamble:
        lines += ["", markdown_text(draft.preamble)]
    lines += _values_in(values, english=False)
    lines += ["", f"## {_('In English')}"]
    if draft.preamble_en:
        lines += ["", markdown_text(draft.preamble_en)]
    lines += _values_in(values, english=True)
    return "\n".join(lines) + "\n"
