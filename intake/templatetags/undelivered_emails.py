from django import template

from intake.undelivered import undelivered_emails as find_undelivered_emails

register = template.Library()


@register.inclusion_tag("admin/intake/undelivered_emails.html", takes_context=True)
def undelivered_emails(context: template.Context) -> dict:
    """Emails that have not gone out, on the admin index, for staff who may see email tasks."""
    if not context["request"].user.has_perm("django_tasks_database.view_dbtaskresult"):
        return {"show": False}
    return {"show": True, "emails": find_undelivered_emails()}
