from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "consignment_payout": _("Pembayaran titip jual ke anggota"),
    "consignment_return": _("Titipan dikembalikan ke anggota"),
    "inquiry_status_set": _("Status pesanan diubah"),
    "inquiry_submit": _("Pesanan dari pasar daring"),
    "product_create": _("Produk dibuat"),
    "product_import": _("Impor katalog produk"),
    "product_photo_add": _("Foto produk ditambahkan"),
    "product_photo_delete": _("Foto produk dihapus"),
    "product_update": _("Produk diubah"),
    "purchase_pay": _("Pembayaran utang pembelian"),
    "purchase_record": _("Pembelian barang"),
    "sale_payment_record": _("Pembayaran piutang penjualan"),
    "sale_record": _("Penjualan barang"),
    "sale_return": _("Retur penjualan"),
    "shop_profile_update": _("Profil publik koperasi diubah"),
    "stock_count_record": _("Stok opname"),
}


class UsahaConfig(AppConfig):
    name = "kopdig.usaha"
    label = "usaha"
    verbose_name = "Unit usaha"

    def ready(self):
        from kopdig.audit import labels
        from kopdig.ledger import verifiers
        from kopdig.tenancy import nav

        from .selectors import stock_verify

        for action, label in AUDIT_LABELS.items():
            labels.register(action, label)

        nav.register(_("Kasir"), "usaha:pos", roles=nav.STAFF, order=35)
        nav.register(_("Unit usaha"), "usaha:index", roles=nav.READERS, order=36)
        nav.register(_("Unit usaha"), "usaha:dinas_turnover", dinas=True, order=60)
        nav.register(_("Penjualan barang saya"), "usaha:my_sales", roles={"anggota"}, order=60)
        verifiers.register(stock_verify)  # kopdig ledger verify: stock caches = movements = Persediaan
