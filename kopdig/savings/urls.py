app_name = "savings"
urlpatterns = []
