from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "kopdig.members"
    label = "members"
