from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from portcullis.lib.admin import ReadOnlyAdmin, read_only

from .models import ScheduledRun

# The task queue is written by the task backend; the admin only watches it.
admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, read_only(DBTaskResultAdmin))


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ["job", "slot", "claimed_by", "claimed_at"]
    list_filter = ["job"]
