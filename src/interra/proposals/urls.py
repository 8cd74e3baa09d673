from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    # Public: the proposal form, three screens.
    path("new/", views.new, name="new"),
    path("new/<int:step>/", views.new, name="new_step"),
    path("sent/", views.sent, name="sent"),
    # Staff: board, a proposal's page, tasks.
    path("board/", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/co-leaders/", views.co_leader_add, name="co_leader_add"),
    path("<int:pk>/co-leaders/<int:person_pk>/remove/", views.co_leader_remove,
         name="co_leader_remove"),
    path("<int:pk>/co-leaders/invitations/<int:invitation_pk>/cancel/",
         views.co_leader_invitation_cancel, name="co_leader_invitation_cancel"),
    path("<int:pk>/notes/", views.note, name="note"),
    path("<int:pk>/translate/", views.translate, name="translate"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("tasks/<int:pk>/close/", views.task_close, name="task_close"),
    path("tasks/<int:pk>/take/", views.task_take, name="task_take"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    # The leader space (reached through a magic link).
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/text/", views.edit_text, name="edit_text"),
    path("mine/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("mine/invitations/<int:invitation_pk>/", views.co_leader_answer,
         name="co_leader_answer"),
]
