app_name = "shu"
urlpatterns = []
