from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .forms import PasswordChangeForm

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("mfa/verify/", views.mfa_verify, name="mfa-verify"),
    path("mfa/setup/", views.mfa_setup, name="mfa-setup"),
    path("mfa/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("account/", views.account, name="account"),
    path("saved-filters/", views.saved_filter_save, name="saved-filter-save"),
    path(
        "saved-filters/<uuid:public_id>/delete/",
        views.saved_filter_delete,
        name="saved-filter-delete",
    ),
    path("account/api-tokens/", views.api_tokens, name="api-tokens"),
    path(
        "account/api-tokens/<uuid:public_id>/revoke/",
        views.api_token_revoke,
        name="api-token-revoke",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url="/account/?changed=1",
            form_class=PasswordChangeForm,
        ),
        name="password-change",
    ),
    path(
        "password/reset/",
        login_not_required(views.PasswordResetView.as_view()),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        login_not_required(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        login_not_required(views.PasswordResetConfirmView.as_view()),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password-reset-complete",
    ),
    path("people/", views.people, name="people"),
    path("people/import/", views.directory_import, name="directory-import"),
    path(
        "people/import/<uuid:public_id>/",
        views.directory_import_detail,
        name="directory-import-detail",
    ),
    path("people/<uuid:public_id>/", views.person_detail, name="person-detail"),
    path(
        "people/<uuid:public_id>/api-tokens/",
        views.person_token_allowance,
        name="person-token-allowance",
    ),
    path("offices/", views.offices, name="offices"),
    path("people/<uuid:public_id>/roles/new/", views.membership_new, name="membership-new"),
    path(
        "people/<uuid:public_id>/roles/<uuid:membership_id>/end/",
        views.membership_end,
        name="membership-end",
    ),
    path("offices/<uuid:public_id>/", views.office_detail, name="office-detail"),
    path("offices/<uuid:public_id>/starters/new/", views.starter_new, name="starter-new"),
    path(
        "offices/<uuid:public_id>/people/<uuid:person_id>/leaver/",
        views.leaver,
        name="leaver",
    ),
    path(
        "offices/<uuid:public_id>/people/<uuid:person_id>/e-mail/",
        views.email_change,
        name="email-change",
    ),
]
