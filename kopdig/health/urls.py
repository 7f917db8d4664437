from django.urls import path

from . import views

app_name = "health"
D = "dinas/kesehatan/"
E = D + "koperasi/<slug:slug>/<str:code>/"
K = "k/<slug:slug>/kesehatan/"
urlpatterns = [
    path(D, views.dinas_index, name="dinas_index"),
    path(D + "belum-diperiksa/", views.never_examined, name="never_examined"),
    path(D + "rubrik/", views.rubric_list, name="rubrics"),
    path(D + "rubrik/impor/", views.rubric_import, name="rubric_import"),
    path(D + "rubrik/<slug:code>/<int:version>/", views.rubric_detail, name="rubric"),
    path(D + "koperasi/<slug:slug>/", views.coop_health, name="coop"),
    path(E, views.exam_page, name="exam"),
    path(E + "jawab/<slug:indicator>/", views.exam_answer, name="answer"),
    path(E + "angka/", views.exam_figures, name="figures"),
    path(E + "kuk/", views.exam_kuk, name="kuk"),
    path(E + "bukti/<slug:indicator>/", views.exam_evidence, name="evidence"),
    path(E + "berkas/<str:evidence>/", views.exam_evidence_file, name="evidence_file"),
    path(E + "ajukan/", views.exam_submit, name="submit"),
    path(E + "setujui/", views.exam_approve, name="approve"),
    path(E + "kembalikan/", views.exam_return, name="return"),
    path(E + "publikasi/", views.exam_publish, name="publish"),
    path(E + "versi-baru/", views.exam_new_version, name="new_version"),
    path(E + "tindak-lanjut/", views.followup_add, name="followup_add"),
    path(E + "tindak-lanjut/<str:followup>/status/", views.followup_close, name="followup_close"),
    path(E + "laporan.pdf", views.exam_pdf, name="pdf"),
    path(K, views.coop_index, name="coop_index"),
    path(K + "penilaian-mandiri/", views.coop_self_assessment, name="self_assessment"),
    path(K + "tindak-lanjut/<str:followup>/", views.coop_followup_answer, name="followup_answer"),
    path(K + "<str:code>/", views.coop_exam, name="coop_exam"),
    path(K + "<str:code>/laporan.pdf", views.coop_exam_pdf, name="coop_pdf"),
]
