"""Chart-of-accounts templates per jenis, and lookup by system key.

No national chart is mandatory (domain §5): these are sensible SAK EP templates a cooperative
can extend. Units: ``base`` every cooperative; ``usp`` savings-and-loan accounts (KSP, KSU,
or any cooperative with a USP); ``toko`` trading accounts (konsumen, produsen, pemasaran, KSU).
Columns: code, name, type, normal side, cash-flow category, participation, system key, unit.
Group rows (is_group) carry no postings; their children follow them by code prefix.
"""

from django.db import transaction

from kopdig.lib.errors import DomainError

from .models import Account, LedgerSettings

A, L, E, R, X = "aset", "kewajiban", "ekuitas", "pendapatan", "beban"
KAS, OPS, INV, FIN = "kas", "operasi", "investasi", "pendanaan"
M, N = "anggota", "non_anggota"

# code, name, type, side, cash flow, participation, system key, unit, group?
TEMPLATE = [
    ("1", "ASET", A, "D", OPS, "", "", "base", True),
    ("11", "Aset Lancar", A, "D", OPS, "", "", "base", True),
    ("1101", "Kas", A, "D", KAS, "", "kas", "base", False),
    ("1102", "Bank", A, "D", KAS, "", "bank", "base", False),
    ("1110", "Piutang Pinjaman Anggota", A, "D", OPS, "", "piutang_pinjaman", "usp", False),
    ("1111", "Cadangan Risiko Pinjaman", A, "C", OPS, "", "cadangan_risiko", "usp", False),
    ("1112", "Piutang Jasa Pinjaman", A, "D", OPS, "", "piutang_jasa", "usp", False),
    ("1120", "Piutang Usaha", A, "D", OPS, "", "piutang_usaha", "toko", False),
    ("1130", "Persediaan Barang Dagangan", A, "D", OPS, "", "persediaan", "toko", False),
    ("1140", "Piutang Lain-lain", A, "D", OPS, "", "piutang_lain", "base", False),
    ("1150", "Biaya Dibayar di Muka", A, "D", OPS, "", "biaya_dibayar_dimuka", "base", False),
    ("12", "Aset Tidak Lancar", A, "D", INV, "", "", "base", True),
    ("1201", "Tanah dan Bangunan", A, "D", INV, "", "tanah_bangunan", "base", False),
    ("1202", "Inventaris dan Peralatan", A, "D", INV, "", "inventaris", "base", False),
    ("1209", "Akumulasi Penyusutan", A, "C", INV, "", "akumulasi_penyusutan", "base", False),
    ("1210", "Penyertaan pada Koperasi Sekunder", A, "D", INV, "", "penyertaan", "base", False),
    ("2", "KEWAJIBAN", L, "C", OPS, "", "", "base", True),
    ("21", "Kewajiban Jangka Pendek", L, "C", OPS, "", "", "base", True),
    ("2101", "Simpanan Sukarela", L, "C", OPS, "", "simpanan_sukarela", "base", False),
    ("2102", "Simpanan Berjangka", L, "C", OPS, "", "simpanan_berjangka", "usp", False),
    ("2103", "Utang Jasa Simpanan Berjangka", L, "C", OPS, "", "utang_jasa_simpanan", "usp", False),
    ("2104", "Utang Pajak", L, "C", OPS, "", "utang_pajak", "base", False),
    ("2110", "Dana SHU Bagian Anggota", L, "C", FIN, "", "dana_shu_anggota", "base", False),
    ("2111", "Dana Pengurus", L, "C", FIN, "", "dana_pengurus", "base", False),
    ("2112", "Dana Karyawan", L, "C", FIN, "", "dana_karyawan", "base", False),
    ("2113", "Dana Pendidikan", L, "C", FIN, "", "dana_pendidikan", "base", False),
    ("2114", "Dana Sosial", L, "C", FIN, "", "dana_sosial", "base", False),
    ("2115", "Dana Pembangunan Daerah Kerja", L, "C", FIN, "", "dana_pdk", "base", False),
    ("2116", "Simpanan Anggota yang Keluar", L, "C", FIN, "", "simpanan_keluar", "base", False),
    ("2120", "Utang Usaha", L, "C", OPS, "", "utang_usaha", "toko", False),
    ("2121", "Utang Konsinyasi (Titipan Anggota)", L, "C", OPS, "", "utang_konsinyasi", "toko", False),
    ("2130", "Utang Lain-lain", L, "C", OPS, "", "utang_lain", "base", False),
    ("22", "Kewajiban Jangka Panjang", L, "C", FIN, "", "", "base", True),
    ("2201", "Utang Bank", L, "C", FIN, "", "utang_bank", "base", False),
    ("2202", "Utang LPDB", L, "C", FIN, "", "utang_lpdb", "base", False),
    ("3", "EKUITAS", E, "C", FIN, "", "", "base", True),
    ("3101", "Simpanan Pokok", E, "C", FIN, "", "simpanan_pokok", "base", False),
    ("3102", "Simpanan Wajib", E, "C", FIN, "", "simpanan_wajib", "base", False),
    ("3201", "Cadangan", E, "C", FIN, "", "cadangan", "base", False),
    ("3301", "Hibah", E, "C", FIN, "", "hibah", "base", False),
    ("3401", "SHU Tahun Berjalan", E, "C", OPS, "", "shu_tahun_berjalan", "base", False),
    ("3402", "SHU Belum Dibagi", E, "C", FIN, "", "shu_belum_dibagi", "base", False),
    ("4", "PENDAPATAN", R, "C", OPS, "", "", "base", True),
    ("41", "Pendapatan Simpan Pinjam", R, "C", OPS, "", "", "usp", True),
    ("4101", "Pendapatan Jasa Pinjaman Anggota", R, "C", OPS, M, "pendapatan_jasa_pinjaman", "usp", False),
    (
        "4102",
        "Pendapatan Provisi dan Administrasi Pinjaman",
        R,
        "C",
        OPS,
        M,
        "pendapatan_provisi",
        "usp",
        False,
    ),
    ("4103", "Pendapatan Denda Pinjaman", R, "C", OPS, M, "pendapatan_denda", "usp", False),
    ("4104", "Pendapatan Administrasi Simpanan", R, "C", OPS, M, "pendapatan_admin_simpanan", "usp", False),
    ("42", "Pendapatan Usaha Dagang", R, "C", OPS, "", "", "toko", True),
    ("4201", "Penjualan kepada Anggota", R, "C", OPS, M, "penjualan_anggota", "toko", False),
    ("4202", "Penjualan kepada Non-Anggota", R, "C", OPS, N, "penjualan_non_anggota", "toko", False),
    (
        "4203",
        "Retur dan Potongan Penjualan Anggota",
        R,
        "D",
        OPS,
        M,
        "retur_penjualan_anggota",
        "toko",
        False,
    ),
    (
        "4204",
        "Retur dan Potongan Penjualan Non-Anggota",
        R,
        "D",
        OPS,
        N,
        "retur_penjualan_non_anggota",
        "toko",
        False,
    ),
    (
        "4205",
        "Pendapatan Komisi Konsinyasi Anggota",
        R,
        "C",
        OPS,
        M,
        "komisi_konsinyasi_anggota",
        "toko",
        False,
    ),
    (
        "4206",
        "Pendapatan Komisi Konsinyasi Non-Anggota",
        R,
        "C",
        OPS,
        N,
        "komisi_konsinyasi_non_anggota",
        "toko",
        False,
    ),
    ("43", "Pendapatan Lain-lain", R, "C", OPS, "", "", "base", True),
    ("4301", "Pendapatan Bunga/Jasa Bank", R, "C", OPS, N, "pendapatan_bank", "base", False),
    ("4302", "Pemulihan Piutang yang Dihapus", R, "C", OPS, M, "pendapatan_pemulihan", "usp", False),
    ("4309", "Pendapatan Lain-lain", R, "C", OPS, N, "pendapatan_lain", "base", False),
    ("5", "BEBAN", X, "D", OPS, "", "", "base", True),
    ("51", "Harga Pokok Penjualan", X, "D", OPS, "", "", "toko", True),
    ("5101", "Harga Pokok Penjualan", X, "D", OPS, "", "hpp", "toko", False),
    ("5102", "Beban Pokok Partisipasi Anggota", X, "D", OPS, "", "hpp_anggota", "toko", False),
    ("5103", "Harga Pokok Penjualan Non-Anggota", X, "D", OPS, "", "hpp_non_anggota", "toko", False),
    ("52", "Beban Usaha", X, "D", OPS, "", "", "base", True),
    ("5201", "Beban Jasa Simpanan", X, "D", OPS, "", "beban_jasa_simpanan", "base", False),
    ("5202", "Beban Penyisihan Cadangan Risiko", X, "D", OPS, "", "beban_cadangan_risiko", "usp", False),
    ("5203", "Beban Gaji dan Honor Karyawan", X, "D", OPS, "", "beban_gaji", "base", False),
    ("5204", "Beban Penyusutan", X, "D", OPS, "", "beban_penyusutan", "base", False),
    ("5205", "Beban Listrik, Air dan Telepon", X, "D", OPS, "", "beban_utilitas", "base", False),
    ("5206", "Beban Administrasi dan Umum", X, "D", OPS, "", "beban_administrasi", "base", False),
    ("5207", "Beban Sewa", X, "D", OPS, "", "beban_sewa", "base", False),
    ("5208", "Beban Bunga Bank", X, "D", OPS, "", "beban_bunga_bank", "base", False),
    ("53", "Beban Perkoperasian", X, "D", OPS, "", "", "base", True),
    ("5301", "Beban Rapat Anggota Tahunan (RAT)", X, "D", OPS, "", "beban_rat", "base", False),
    ("5302", "Beban Pendidikan dan Pelatihan Anggota", X, "D", OPS, "", "beban_pendidikan", "base", False),
    ("5303", "Beban Honor Pengurus dan Pengawas", X, "D", OPS, "", "beban_honor_pengurus", "base", False),
    ("54", "Beban Lain-lain dan Pajak", X, "D", OPS, "", "", "base", True),
    ("5401", "Beban Pajak Penghasilan", X, "D", OPS, "", "beban_pajak", "base", False),
    ("5402", "Selisih Persediaan", X, "D", OPS, "", "selisih_persediaan", "toko", False),
    ("5409", "Beban Lain-lain", X, "D", OPS, "", "beban_lain", "base", False),
]


def units_for(cooperative) -> set[str]:
    jenis = cooperative.jenis
    units = {"base"}
    if jenis in ("simpan_pinjam", "serba_usaha") or cooperative.has_usp:
        units.add("usp")
    if jenis != "simpan_pinjam":
        units.add("toko")
    return units


def apply_template(cooperative) -> int:
    """Create the template's accounts for the cooperative (idempotent: existing codes are kept)."""
    units = units_for(cooperative)
    existing = {a.code: a for a in Account.objects.filter(cooperative=cooperative)}
    created = 0
    with transaction.atomic():
        LedgerSettings.objects.get_or_create(cooperative=cooperative)
        for code, name, typ, side, cf, part, key, unit, group in TEMPLATE:
            if unit not in units or code in existing:
                continue
            parent = None
            for plen in range(len(code) - 1, 0, -1):
                parent = existing.get(code[:plen])
                if parent:
                    break
            existing[code] = Account.objects.create(
                cooperative=cooperative,
                code=code,
                name=name,
                type=typ,
                normal_side=side,
                cash_flow=cf,
                participation=part,
                system_key=key,
                is_group=group,
                is_cash=(cf == KAS),
                parent=parent,
            )
            created += 1
    return created


def account_for(cooperative, key: str) -> Account:
    """The cooperative's account with this system key (kas, simpanan_wajib, …)."""
    try:
        return Account.objects.get(cooperative=cooperative, system_key=key)
    except Account.DoesNotExist:
        raise DomainError(f"Akun '{key}' belum ada di bagan akun koperasi ini.") from None
