import factory

from kopdig.tenancy.models import Cooperative, Region, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="id_ID")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "rahasia-123")
        if create:
            obj.save(update_fields=["password"])


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Koperasi Uji {n}")
    slug = factory.Sequence(lambda n: f"kop-uji-{n}")
    jenis = Cooperative.Jenis.SIMPAN_PINJAM
    kabupaten = factory.LazyFunction(lambda: Region.objects.get(code="35.13"))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    cooperative = factory.SubFactory(CooperativeFactory)
    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.PENGURUS
