"""The role sets of a cooperative (architecture §4): every app uses these, none defines its own.

Plain strings equal to ``Role.Kind`` values, in a module without models, so that navigation
and app configs can import them while the app registry is still loading.
"""

PENGURUS, MANAJER, KASIR, PENGAWAS, ANGGOTA = "pengurus", "manajer", "kasir", "pengawas", "anggota"

ALL_COOP = frozenset({PENGURUS, MANAJER, KASIR, PENGAWAS, ANGGOTA})
STAFF = frozenset({PENGURUS, MANAJER, KASIR})  # enter transactions
READERS = frozenset({PENGURUS, MANAJER, KASIR, PENGAWAS})  # read the cooperative's books
APPROVERS = frozenset({PENGURUS, MANAJER})  # approve (maker-checker), set products
BOARD = frozenset({PENGURUS})  # the elected board
SUPERVISORS = frozenset({PENGAWAS})  # write only the supervisory report
MEMBERS = frozenset({ANGGOTA})  # the member's own pages
