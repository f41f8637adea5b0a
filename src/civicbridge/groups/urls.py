from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/", views.group_members, name="group_members"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"
    ),
    path("groups/<int:pk>/members/<int:member_pk>/chair/", views.member_chair, name="member_chair"),
    path("groups/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("groups/<int:pk>/documents/new/", views.document_create, name="document_create"),
    path(
        "groups/<int:pk>/documents/<int:document_pk>/versions/new/",
        views.document_version_create,
        name="document_version_create",
    ),
    path(
        "groups/<int:pk>/documents/<int:document_pk>/versions/<int:number>/",
        views.document_download,
        name="document_download",
    ),
    path("groups/<int:pk>/posts/", views.post_create, name="post_create"),
    path("groups/<int:pk>/standards/new/", views.standard_create, name="standard_create"),
    path("standards/", views.standard_library, name="standard_library"),
    path("standards/<int:pk>/", views.standard_detail, name="standard_detail"),
    path(
        "standards/<int:pk>/versions/new/",
        views.standard_version_create,
        name="standard_version_create",
    ),
    path(
        "standards/<int:pk>/versions/<int:number>/file/", views.standard_file, name="standard_file"
    ),
    path("standards/<int:pk>/move/<str:stage>/", views.standard_move, name="standard_move"),
]
