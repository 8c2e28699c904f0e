from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from guichet.api.urls import api
from guichet.web import views as web_views

# The admin signs in through allauth, so that two-factor authentication applies there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Guichet"

handler400 = "guichet.web.views.bad_request"
handler403 = "guichet.web.views.permission_denied"
handler404 = "guichet.web.views.page_not_found"
handler500 = "guichet.web.views.server_error"

urlpatterns = [
    path("i18n/setlang/", web_views.set_language, name="set_language"),
    path("api/v1/", api.urls),
]

# French pages have no prefix; English ones live under /en/.
urlpatterns += i18n_patterns(
    path("", include("guichet.web.urls")),
    path("", include("guichet.accounts.urls")),
    path("", include("guichet.governance.urls")),
    path("", include("guichet.network.urls")),
    path("", include("guichet.needs.urls")),
    path("", include("guichet.missions.urls")),
    path("", include("guichet.privacy.urls")),
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
