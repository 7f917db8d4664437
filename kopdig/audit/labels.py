"""Human Indonesian labels for audit rows: the action names and the keys of before/after.

The audit stores the action function's name (``savings_deposit``) and JSON snapshots; people read
"Setoran simpanan" and "Tanggal: 3 September 2019". A new app adds its actions with ``register``
in its AppConfig.ready(); an unregistered action reads as its words ("Rat record save"), never as
the raw code.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "account_close": _("Rekening ditutup"),
    "account_create": _("Akun dibuat"),
    "account_delete": _("Akun dihapus"),
    "annual_report_save": _("Laporan tahunan disimpan"),
    "coop_officer_delete": _("Pengurus dihapus"),
    "coop_officer_save": _("Pengurus disimpan"),
    "coop_staff_delete": _("Pengelola dihapus"),
    "coop_staff_save": _("Pengelola disimpan"),
    "cooperative_register": _("Koperasi didaftarkan"),
    "cooperative_status_confirm": _("Status koperasi dikonfirmasi"),
    "dinas_settings_update": _("Pengaturan Dinas diubah"),
    "invitation_accept": _("Undangan diterima"),
    "journal_draft_approve": _("Usulan jurnal disetujui"),
    "journal_draft_reject": _("Usulan jurnal ditolak"),
    "journal_draft_submit": _("Usulan jurnal diajukan"),
    "journal_entry_post": _("Jurnal diposting"),
    "journal_entry_reverse": _("Jurnal dibalik"),
    "journal_import": _("Impor jurnal"),
    "ledger_settings_update": _("Pengaturan pembukuan diubah"),
    "loan_analyze": _("Analisis pinjaman"),
    "loan_apply": _("Pengajuan pinjaman"),
    "loan_approve": _("Pinjaman disetujui"),
    "loan_arrears_run": _("Perhitungan tunggakan"),
    "loan_arrears_run_start": _("Perhitungan tunggakan dimulai"),
    "loan_disburse": _("Pencairan pinjaman"),
    "loan_product_create": _("Produk pinjaman dibuat"),
    "loan_product_save": _("Produk pinjaman disimpan"),
    "loan_recover": _("Penagihan pinjaman hapus buku"),
    "loan_repay": _("Angsuran pinjaman"),
    "loan_reject": _("Pinjaman ditolak"),
    "loan_cancel": _("Pinjaman dibatalkan"),
    "loan_settings_update": _("Pengaturan pinjaman diubah"),
    "loan_writeoff_approve": _("Hapus buku pinjaman disetujui"),
    "loan_writeoff_request": _("Hapus buku pinjaman diajukan"),
    "member_activate": _("Anggota diaktifkan"),
    "member_admit": _("Anggota baru"),
    "member_exit": _("Anggota keluar"),
    "member_import": _("Impor anggota"),
    "member_login_set": _("Akun masuk anggota"),
    "member_update": _("Data anggota diubah"),
    "member_volume_import": _("Impor volume transaksi"),
    "opening_balance_post": _("Saldo awal diposting"),
    "pengurus_invite": _("Undangan pengurus"),
    "period_close": _("Tutup buku"),
    "period_reopen": _("Buka buku"),
    "rat_record_delete": _("Catatan RAT dihapus"),
    "rat_record_save": _("Catatan RAT disimpan"),
    "registry_import": _("Impor registri"),
    "repayment_reverse": _("Angsuran dibatalkan"),
    "role_grant": _("Peran diberikan"),
    "savings_account_open": _("Rekening simpanan dibuka"),
    "savings_deposit": _("Setoran simpanan"),
    "savings_interest_post": _("Jasa simpanan dibukukan"),
    "savings_mature": _("Simpanan berjangka jatuh tempo"),
    "savings_payroll_import": _("Impor potong gaji"),
    "savings_product_update": _("Produk simpanan diubah"),
    "savings_products_setup": _("Produk simpanan dibuat"),
    "savings_time_deposit_break": _("Simpanan berjangka dicairkan awal"),
    "savings_time_deposit_open": _("Simpanan berjangka dibuka"),
    "savings_transfer": _("Pindah buku simpanan"),
    "savings_withdraw": _("Penarikan simpanan"),
    "shu_allocate": _("Pembagian SHU dihitung"),
    "shu_approve": _("SHU disetujui RAT"),
    "shu_distribute": _("SHU dibagikan"),
    "shu_distribute_batch": _("SHU dibagikan (sekelompok)"),
    "shu_distribute_start": _("Pembagian SHU dimulai"),
    "shu_payable_mark": _("SHU dicatat sebagai utang"),
    "shu_share_pay": _("SHU dibayarkan"),
    "shu_year_close": _("Tahun buku SHU ditutup"),
    "shu_year_reopen": _("Tahun buku SHU dibuka lagi"),
    "shu_year_save": _("Tahun buku SHU disimpan"),
    "user_create": _("Pengguna dibuat"),
}

KEYS = {
    "held_on": _("tanggal"),
    "source": _("sumber"),
    "amount": _("jumlah"),
    "total": _("jumlah"),
    "date": _("tanggal"),
    "status": _("status"),
    "paid": _("dibayar"),
    "done": _("selesai"),
    "shu": _("SHU"),
    "by_kol": _("per kolektibilitas"),
    "closed_through": _("ditutup sampai"),
    "balance": _("saldo"),
    "principal": _("pokok"),
    "term": _("jangka waktu"),
    "rate_percent": _("jasa (%)"),
    "number": _("nomor"),
    "name": _("nama"),
    "reason": _("alasan"),
    "notes": _("catatan"),
    "year": _("tahun"),
    "reference": _("nomor"),
    "kind": _("jenis"),
    "members": _("anggota"),
    "count": _("banyaknya"),
    "required": _("cadangan wajib"),
    "outstanding": _("sisa pokok"),
    "decision_reason": _("alasan keputusan"),
    "processed": _("diproses"),
    "dinas": _("Dinas"),
    "kopdig": _("Kopdig"),
}
VALUES = {"dinas": _("Dinas"), "kopdig": _("Kopdig"), "koperasi": _("koperasi")}


def register(action: str, label) -> None:
    ACTIONS[action] = label


def action_label(action: str) -> str:
    return str(ACTIONS.get(action) or action.replace("_", " ").capitalize())


def key_label(key: str, object_type: str = "") -> str:
    """A snapshot key in words: the table above, else the verbose name of the row's model field
    (``object_type`` is the model label, e.g. ``loans.LoanProduct``), else its words."""
    if key in KEYS:
        return str(KEYS[key])
    try:
        return str(apps.get_model(object_type)._meta.get_field(key).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return key.replace("_", " ")
