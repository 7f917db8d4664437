"""The business unit (unit usaha): catalogue, stock, purchases, sales, consignment, stock counts,
order inquiries and the cooperative's public shop profile (domain §12).

Caches: ``Product.stock_qty`` and ``Product.stock_value`` are updated in the transaction of the
action that moves stock (the product row is locked first) and always equal the sum of the
product's ``StockMovement`` rows; Σ ``stock_value`` of the cooperative's own (non-consigned)
products equals the balance of Persediaan Barang Dagangan (``selectors.stock_verify``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD, ZERO
from kopdig.tenancy.models import opaque_code

QTY_FIELD = {"max_digits": 14, "decimal_places": 3}
PERCENT_FIELD = {"max_digits": 7, "decimal_places": 4}


class Category(models.TextChoices):
    MAKANAN = "makanan", _("Makanan olahan")
    MINUMAN = "minuman", _("Minuman")
    SEMBAKO = "sembako", _("Sembako dan kebutuhan pokok")
    PERTANIAN = "pertanian", _("Hasil pertanian dan perkebunan")
    PERIKANAN = "perikanan", _("Hasil peternakan dan perikanan")
    KERAJINAN = "kerajinan", _("Kerajinan")
    FASHION = "fashion", _("Busana dan kain")
    KECANTIKAN = "kecantikan", _("Kesehatan dan kecantikan")
    LAINNYA = "lainnya", _("Lainnya")


class Product(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("kode produk"), max_length=40)  # per cooperative, used in public URLs
    barcode = models.CharField(_("barcode"), max_length=40, blank=True, default="")
    name = models.CharField(_("nama produk"), max_length=150)
    description = models.TextField(_("deskripsi"), blank=True, default="")
    category = models.CharField(
        _("kategori"), max_length=20, choices=Category.choices, default=Category.LAINNYA
    )
    unit = models.CharField(_("satuan"), max_length=20, default="pcs")
    producer = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("anggota produsen"),
    )
    producer_consent = models.BooleanField(_("anggota setuju namanya ditampilkan"), default=False)
    consignment = models.BooleanField(_("titip jual (konsinyasi)"), default=False)
    commission_percent = models.DecimalField(_("komisi (%)"), **PERCENT_FIELD, null=True, blank=True)
    commission_fixed = models.DecimalField(_("komisi tetap per satuan"), **MONEY_FIELD, null=True, blank=True)
    packaging = models.CharField(_("kemasan"), max_length=100, blank=True, default="")
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), null=True, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("masa simpan (hari)"), null=True, blank=True)
    pirt_number = models.CharField(_("no. PIRT"), max_length=40, blank=True, default="")
    halal_number = models.CharField(_("no. sertifikat halal"), max_length=60, blank=True, default="")
    price_member = models.DecimalField(_("harga anggota"), **MONEY_FIELD)
    price_non_member = models.DecimalField(_("harga non-anggota"), **MONEY_FIELD)
    min_order = models.DecimalField(_("pembelian minimum"), **QTY_FIELD, default=1)
    published = models.BooleanField(_("tampil di pasar daring"), default=False)
    active = models.BooleanField(_("aktif"), default=True)
    stock_qty = models.DecimalField(**QTY_FIELD, default=0)
    stock_value = models.DecimalField(**MONEY_FIELD, default=ZERO)  # zero for consigned goods
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cooperative", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="usaha_product_code_unique"),
            models.CheckConstraint(condition=Q(stock_qty__gte=0), name="usaha_product_stock_nonneg"),
            models.CheckConstraint(condition=Q(stock_value__gte=0), name="usaha_product_value_nonneg"),
            models.CheckConstraint(
                condition=Q(price_member__gte=0) & Q(price_non_member__gte=0),
                name="usaha_product_price_nonneg",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "category"]),
            models.Index(fields=["published", "category"]),
            models.Index(fields=["published", "active", "id"], name="usaha_product_market"),
            models.Index(fields=["cooperative", "barcode"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def average_cost(self):
        return self.stock_value / self.stock_qty if self.stock_qty else ZERO


class ProductPhoto(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="usaha/produk/")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["product", "position", "id"]


class StockMovement(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Saldo awal")
        PURCHASE = "purchase", _("Pembelian")
        CONSIGNMENT_IN = "consignment_in", _("Titipan masuk")
        SALE = "sale", _("Penjualan")
        RETURN = "return", _("Retur penjualan")
        CONSIGNMENT_OUT = "consignment_out", _("Titipan dikembalikan")
        ADJUSTMENT = "adjustment", _("Penyesuaian stok opname")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="movements")
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    qty = models.DecimalField(**QTY_FIELD)  # signed: + in, - out
    value = models.DecimalField(**MONEY_FIELD)  # signed
    balance_qty = models.DecimalField(**QTY_FIELD)
    balance_value = models.DecimalField(**MONEY_FIELD)
    ref = models.CharField(max_length=30, blank=True, default="")  # the document number
    reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "id"]
        indexes = [models.Index(fields=["cooperative", "product", "id"])]


class Payment(models.TextChoices):
    TUNAI = "tunai", _("Tunai")
    KREDIT = "kredit", _("Kredit")


class Purchase(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=30)
    date = models.DateField()
    supplier_member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supplier_name = models.CharField(_("pemasok"), max_length=150, blank=True, default="")
    payment = models.CharField(_("cara bayar"), max_length=8, choices=Payment.choices, default=Payment.TUNAI)
    consignment = models.BooleanField(_("titipan"), default=False)
    total = models.DecimalField(**MONEY_FIELD, default=ZERO)
    paid = models.DecimalField(**MONEY_FIELD, default=ZERO)
    trade_ref = models.CharField(_("referensi perjanjian dagang"), max_length=40, blank=True, default="")
    memo = models.CharField(max_length=200, blank=True, default="")
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="usaha_purchase_number_unique")
        ]
        indexes = [
            models.Index(fields=["cooperative", "date"]),
            models.Index(fields=["cooperative", "trade_ref"]),
        ]

    @property
    def outstanding(self):
        return self.total - self.paid


class PurchaseLine(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    qty = models.DecimalField(**QTY_FIELD)
    unit_cost = models.DecimalField(**MONEY_FIELD)
    total = models.DecimalField(**MONEY_FIELD)


class PurchasePayment(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    purchase = models.ForeignKey(Purchase, on_delete=models.PROTECT, related_name="payments")
    date = models.DateField()
    amount = models.DecimalField(**MONEY_FIELD)
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")


class Sale(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=30)
    date = models.DateField()
    buyer_member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    buyer_name = models.CharField(_("pembeli"), max_length=150, blank=True, default="")
    payment = models.CharField(_("cara bayar"), max_length=8, choices=Payment.choices, default=Payment.TUNAI)
    gross = models.DecimalField(**MONEY_FIELD, default=ZERO)
    discount = models.DecimalField(**MONEY_FIELD, default=ZERO)
    total = models.DecimalField(**MONEY_FIELD, default=ZERO)
    paid = models.DecimalField(**MONEY_FIELD, default=ZERO)
    returned = models.DecimalField(**MONEY_FIELD, default=ZERO)
    trade_ref = models.CharField(_("referensi perjanjian dagang"), max_length=40, blank=True, default="")
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="usaha_sale_number_unique")
        ]
        indexes = [
            models.Index(fields=["cooperative", "date"]),
            models.Index(fields=["cooperative", "trade_ref"]),
        ]

    @property
    def receivable(self):
        """What the buyer still owes on a credit sale (net of returns credited to it)."""
        return self.total - self.returned - self.paid if self.payment == Payment.KREDIT else ZERO


class SaleLine(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    date = models.DateField()  # the sale's date (reports group lines without a join)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    qty = models.DecimalField(**QTY_FIELD)
    price = models.DecimalField(**MONEY_FIELD)
    gross = models.DecimalField(**MONEY_FIELD)
    net = models.DecimalField(**MONEY_FIELD)  # after its share of the discount
    cost = models.DecimalField(**MONEY_FIELD, default=ZERO)  # HPP (zero for consigned goods)
    member_part = models.BooleanField()  # member participation (by buyer or by origin, see actions)
    consignor = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consigned = models.BooleanField(default=False)
    commission = models.DecimalField(**MONEY_FIELD, default=ZERO)
    payable = models.DecimalField(**MONEY_FIELD, default=ZERO)  # owed to the consignor
    returned_qty = models.DecimalField(**QTY_FIELD, default=0)
    returned_net = models.DecimalField(**MONEY_FIELD, default=ZERO)
    returned_cost = models.DecimalField(**MONEY_FIELD, default=ZERO)
    returned_commission = models.DecimalField(**MONEY_FIELD, default=ZERO)

    class Meta:
        ordering = ["sale", "id"]
        indexes = [
            models.Index(fields=["cooperative", "date"]),
            models.Index(fields=["cooperative", "product"]),
        ]


class SaleReturn(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=30)
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns")
    date = models.DateField()
    amount = models.DecimalField(**MONEY_FIELD)
    reason = models.CharField(max_length=200, blank=True, default="")
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="usaha_return_number_unique")
        ]


class SaleReturnLine(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    sale_return = models.ForeignKey(SaleReturn, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    qty = models.DecimalField(**QTY_FIELD)
    net = models.DecimalField(**MONEY_FIELD)
    cost = models.DecimalField(**MONEY_FIELD)
    commission = models.DecimalField(**MONEY_FIELD)
    payable = models.DecimalField(**MONEY_FIELD)


class SalePayment(models.Model):
    class Method(models.TextChoices):
        TUNAI = "tunai", _("Tunai")
        SUKARELA = "sukarela", _("Potong simpanan sukarela")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="payments")
    date = models.DateField()
    amount = models.DecimalField(**MONEY_FIELD)
    method = models.CharField(_("cara bayar"), max_length=10, choices=Method.choices)
    reference = models.CharField(max_length=30, blank=True, default="")  # journal or savings receipt number


class ConsignmentPayout(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=30)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    amount = models.DecimalField(**MONEY_FIELD)
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="usaha_payout_number_unique")
        ]


class StockCount(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=30)
    date = models.DateField()
    reason = models.CharField(_("keterangan"), max_length=200, blank=True, default="")
    difference_value = models.DecimalField(**MONEY_FIELD, default=ZERO)  # signed: + surplus, - shortage
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="usaha_count_number_unique")
        ]


class StockCountLine(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    system_qty = models.DecimalField(**QTY_FIELD)
    counted_qty = models.DecimalField(**QTY_FIELD)
    value = models.DecimalField(**MONEY_FIELD)  # signed


class Inquiry(models.Model):
    class Status(models.TextChoices):
        BARU = "baru", _("Baru")
        DIBALAS = "dibalas", _("Sudah dihubungi")
        SELESAI = "selesai", _("Selesai")
        BATAL = "batal", _("Batal")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=12, default=opaque_code)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("nama"), max_length=100)
    phone = models.CharField(_("no. HP/WhatsApp"), max_length=20)
    quantity = models.DecimalField(_("jumlah"), **QTY_FIELD, default=1)
    message = models.TextField(_("pesan"), max_length=1000, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BARU)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="usaha_inquiry_code_unique")
        ]
        indexes = [models.Index(fields=["cooperative", "status"])]


class ShopProfile(models.Model):
    """The cooperative's public page (edited by a pengurus)."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    published = models.BooleanField(_("tampilkan profil di pasar daring"), default=True)
    story = models.TextField(_("cerita koperasi"), blank=True, default="")
    logo = models.ImageField(_("logo"), upload_to="usaha/logo/", blank=True)
    photo = models.ImageField(_("foto"), upload_to="usaha/foto/", blank=True)
    whatsapp = models.CharField(_("no. WhatsApp"), max_length=20, blank=True, default="")
    show_rat_date = models.BooleanField(_("tampilkan tanggal RAT terakhir"), default=False)
    last_rat_date = models.DateField(_("tanggal RAT terakhir"), null=True, blank=True)
    show_health = models.BooleanField(_("tampilkan predikat kesehatan terakhir"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cooperative"], name="usaha_profile_unique")]
