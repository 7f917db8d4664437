from django.urls import path

from . import views

app_name = "programs"
D = "dinas/program/"
K = "k/<slug:slug>/program/"
urlpatterns = [
    path(D, views.event_list, name="event_list"),
    path(D + "baru/", views.event_new, name="event_new"),
    path(D + "jangkauan/", views.reach, name="reach"),
    path(D + "laporan/<int:year>.pdf", views.annual_report, name="annual_report"),
    path(D + "tindak-lanjut/", views.follow_ups, name="follow_ups"),
    path(D + "tindak-lanjut/<str:code>/", views.follow_up_progress, name="follow_up_progress"),
    path(D + "mou/", views.agreements, name="agreements"),
    path(D + "mou/<str:code>/dokumen/", views.agreement_document, name="agreement_document"),
    path(D + "lembaga/", views.organisations, name="organisations"),
    path(D + "pengaturan/", views.settings_page, name="settings"),
    path(D + "k/<str:code>/", views.event_detail, name="event_detail"),
    path(D + "k/<str:code>/ubah/", views.event_edit, name="event_edit"),
    path(D + "k/<str:code>/peserta/", views.participant_add, name="participant_add"),
    path(D + "k/<str:code>/peserta.xlsx", views.participants_xlsx, name="participants_xlsx"),
    path(D + "k/<str:code>/peserta/<str:person>/batal/", views.participant_cancel, name="participant_cancel"),
    path(D + "k/<str:code>/undangan/", views.invitations, name="invitations"),
    path(D + "k/<str:code>/hadir/<str:day>/", views.attendance, name="attendance"),
    path(D + "k/<str:code>/daftar-hadir.pdf", views.attendance_pdf, name="attendance_pdf"),
    path(D + "k/<str:code>/sertifikat/terbitkan/", views.certificates_issue, name="certificates_issue"),
    path(D + "k/<str:code>/sertifikat.pdf", views.certificates_pdf, name="certificates_pdf"),
    path(D + "k/<str:code>/materi/", views.material_add, name="material_add"),
    path(D + "k/<str:code>/materi/<str:material>/", views.material_download, name="material_download"),
    path("program/p/<str:token>/", views.participant, name="participant"),
    path("program/p/<str:token>/hadir/", views.participant_check_in, name="participant_check_in"),
    path(
        "program/p/<str:token>/sertifikat.pdf", views.participant_certificate, name="participant_certificate"
    ),
    path(
        "program/p/<str:token>/materi/<str:material>/",
        views.participant_material,
        name="participant_material",
    ),
    path("program/sertifikat/", views.verify, name="verify"),
    path(K, views.coop_home, name="coop_home"),
    path(K + "<str:code>/daftar/", views.coop_register, name="coop_register"),
    path(K + "<str:code>/sertifikat/<str:person>.pdf", views.coop_certificate, name="coop_certificate"),
    path(K + "tindak-lanjut/<str:code>/", views.coop_follow_up, name="coop_follow_up"),
    path(K + "saya/", views.my_certificates, name="my_certificates"),
    path(K + "saya/<str:code>.pdf", views.my_certificate, name="my_certificate"),
]
