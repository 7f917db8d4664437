import pytest
from django.test import Client


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dinas_client(world):
    return login(world.dinas)


@pytest.fixture
def plain_coops(world):
    """Three cooperatives NOT on Kopdig in the world's kabupaten (Kraksaan)."""
    from kopdig.tenancy.models import Region
    from kopdig.tenancy.tests.factories import CooperativeFactory

    kec = Region.objects.get(code="35.13.14")
    return [
        CooperativeFactory(
            name=f"Koperasi Konsumen Uji {i}",
            slug=f"kk-uji-{i}",
            jenis="konsumen",
            kecamatan=kec,
            nik=f"35131400000{i}",
            badan_hukum_number=f"{i}/BH/XVI/2001",
        )
        for i in range(1, 4)
    ]
