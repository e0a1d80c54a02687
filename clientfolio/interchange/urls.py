app_name = "interchange"

urlpatterns: list = []
