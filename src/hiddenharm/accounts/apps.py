from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hiddenharm.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
