"""Human labels of journal entry sources (``JournalEntry.source_type``), for the journal pages.

A new app that posts entries with its own source type adds its label with ``register`` in its
AppConfig.ready(); an unregistered source reads as "Transaksi <app>", never as the raw code.
"""

from django.utils.translation import gettext_lazy as _

SOURCES = {
    "": _("Manual"),
    "manual": _("Manual"),
    "import": _("Impor jurnal"),
    "opening": _("Saldo awal"),
    "demo.opening": _("Saldo awal"),
    "test": _("Uji"),
    "loans.disbursement": _("Pencairan pinjaman"),
    "loans.overpayment": _("Kelebihan bayar pinjaman"),
    "loans.recovery": _("Penagihan pinjaman hapus buku"),
    "loans.repayment": _("Angsuran pinjaman"),
    "loans.reserve": _("Cadangan risiko pinjaman"),
    "loans.writeoff": _("Hapus buku pinjaman"),
    "members.admit": _("Anggota baru"),
    "members.exit": _("Anggota keluar"),
    "members.exit_payout": _("Pengembalian simpanan anggota keluar"),
    "savings.deposit": _("Setoran simpanan"),
    "savings.interest": _("Jasa simpanan"),
    "savings.maturity": _("Simpanan berjangka jatuh tempo"),
    "savings.opening": _("Saldo awal simpanan"),
    "savings.payroll": _("Potong gaji"),
    "savings.teller_day": _("Transaksi kasir harian"),
    "savings.transfer": _("Pindah buku simpanan"),
    "savings.withdrawal": _("Penarikan simpanan"),
    "shu.allocate": _("Pembagian SHU"),
    "shu.credit": _("SHU ke simpanan"),
    "shu.distribute": _("Pembayaran SHU"),
}
APPS = {
    "loans": _("pinjaman"),
    "savings": _("simpanan"),
    "members": _("anggota"),
    "shu": _("SHU"),
    "usaha": _("usaha"),
    "rat": _("RAT"),
}


def register(source_type: str, label) -> None:
    SOURCES[source_type] = label


def source_label(source_type: str | None) -> str:
    code = source_type or ""
    if code in SOURCES:
        return str(SOURCES[code])
    app = code.split(".", 1)[0]
    return str(_("Transaksi %(app)s") % {"app": APPS.get(app, app)})
