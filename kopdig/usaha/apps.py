from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsahaConfig(AppConfig):
    name = "kopdig.usaha"
    label = "usaha"
    verbose_name = "Unit usaha"

    def ready(self):
        from kopdig.ledger import verifiers
        from kopdig.tenancy import nav

        from .selectors import stock_verify

        nav.register(_("Kasir"), "usaha:pos", roles=nav.STAFF, order=35)
        nav.register(_("Unit usaha"), "usaha:index", roles=nav.READERS, order=36)
        nav.register(_("Unit usaha"), "usaha:dinas_turnover", dinas=True, order=60)
        nav.register(_("Penjualan barang saya"), "usaha:my_sales", roles={"anggota"}, order=60)
        verifiers.register(stock_verify)  # kopdig ledger verify: stock caches = movements = Persediaan
