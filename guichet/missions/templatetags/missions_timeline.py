from django import template

from guichet.missions.models import MissionEvent
from guichet.missions.timeline import event_sentence

register = template.Library()


@register.filter
def sentence(event: MissionEvent) -> str:
    return event_sentence(event)
