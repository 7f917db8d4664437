"""Add the trading accounts of domain §12 (Utang Konsinyasi, returns, consignment commission,
Beban Pokok Partisipasi / HPP Non-Anggota, Selisih Persediaan) to the charts of existing
cooperatives that have a trading unit. New cooperatives get them from the template
(``kopdig.ledger.chart.TEMPLATE``). A code or system key a cooperative already uses is left alone."""

from django.db import migrations

KAS, OPS = "kas", "operasi"
M, N = "anggota", "non_anggota"
# code, name, type, side, participation, system key (copied from the template: migrations do not import it)
ACCOUNTS = [
    ("2121", "Utang Konsinyasi (Titipan Anggota)", "kewajiban", "C", "", "utang_konsinyasi"),
    ("4203", "Retur dan Potongan Penjualan Anggota", "pendapatan", "D", M, "retur_penjualan_anggota"),
    ("4204", "Retur dan Potongan Penjualan Non-Anggota", "pendapatan", "D", N, "retur_penjualan_non_anggota"),
    ("4205", "Pendapatan Komisi Konsinyasi Anggota", "pendapatan", "C", M, "komisi_konsinyasi_anggota"),
    ("4206", "Pendapatan Komisi Konsinyasi Non-Anggota", "pendapatan", "C", N, "komisi_konsinyasi_non_anggota"),
    ("5102", "Beban Pokok Partisipasi Anggota", "beban", "D", "", "hpp_anggota"),
    ("5103", "Harga Pokok Penjualan Non-Anggota", "beban", "D", "", "hpp_non_anggota"),
    ("5402", "Selisih Persediaan", "beban", "D", "", "selisih_persediaan"),
]


def add_accounts(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    trading = Account.objects.filter(system_key="persediaan").values_list("cooperative_id", flat=True)
    for coop_id in trading.distinct():
        existing = {a.code: a for a in Account.objects.filter(cooperative_id=coop_id)}
        keys = {a.system_key for a in existing.values() if a.system_key}
        for code, name, typ, side, part, key in ACCOUNTS:
            if code in existing or key in keys:
                continue
            parent = next((existing[code[:n]] for n in range(len(code) - 1, 0, -1) if code[:n] in existing), None)
            existing[code] = Account.objects.create(
                cooperative_id=coop_id, code=code, name=name, type=typ, normal_side=side, cash_flow=OPS,
                participation=part, system_key=key, is_group=False, is_cash=False, parent=parent,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("usaha", "0001_initial"),
        ("ledger", "0005_line_coop_date_index"),
    ]

    operations = [migrations.RunPython(add_accounts, migrations.RunPython.noop)]
