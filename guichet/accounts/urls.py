from django.urls import path

from guichet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("espace/jetons/", views.tokens, name="tokens"),
    path("espace/jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("espace/courriels/", views.notifications, name="notifications"),
]
