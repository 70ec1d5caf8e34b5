from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen from clinic/groups.py by `python -m clinic.groups`: a migration must keep
# working whatever later happens to live project code. Each group gets exactly these.
GROUP_PERMISSIONS = {
    "Clinician": [
        ("education", "add_category"),
        ("education", "add_exercise"),
        ("education", "add_guide"),
        ("education", "add_guidepoint"),
        ("education", "add_protocol"),
        ("education", "add_protocolexercise"),
        ("education", "add_tip"),
        ("education", "change_category"),
        ("education", "change_exercise"),
        ("education", "change_guide"),
        ("education", "change_guidepoint"),
        ("education", "change_protocol"),
        ("education", "change_protocolexercise"),
        ("education", "change_tip"),
        ("education", "delete_category"),
        ("education", "delete_exercise"),
        ("education", "delete_guide"),
        ("education", "delete_guidepoint"),
        ("education", "delete_protocol"),
        ("education", "delete_protocolexercise"),
        ("education", "delete_tip"),
        ("education", "view_category"),
        ("education", "view_exercise"),
        ("education", "view_guide"),
        ("education", "view_guidepoint"),
        ("education", "view_protocol"),
        ("education", "view_protocolexercise"),
        ("education", "view_tip"),
        ("intake", "add_attendancechange"),
        ("intake", "add_choice"),
        ("intake", "add_consenttext"),
        ("intake", "add_lead"),
        ("intake", "add_leadnote"),
        ("intake", "add_measure"),
        ("intake", "add_measureitem"),
        ("intake", "add_outcomerule"),
        ("intake", "add_programme"),
        ("intake", "add_question"),
        ("intake", "add_questionnaire"),
        ("intake", "add_timeoff"),
        ("intake", "change_appointment"),
        ("intake", "change_choice"),
        ("intake", "change_consenttext"),
        ("intake", "change_lead"),
        ("intake", "change_leadnote"),
        ("intake", "change_measure"),
        ("intake", "change_measureitem"),
        ("intake", "change_outcomerule"),
        ("intake", "change_previsit"),
        ("intake", "change_programme"),
        ("intake", "change_question"),
        ("intake", "change_questionnaire"),
        ("intake", "change_timeoff"),
        ("intake", "change_waitlistentry"),
        ("intake", "delete_choice"),
        ("intake", "delete_measureitem"),
        ("intake", "delete_outcomerule"),
        ("intake", "delete_question"),
        ("intake", "delete_questionnaire"),
        ("intake", "view_appointment"),
        ("intake", "view_appointmenttype"),
        ("intake", "view_attendancechange"),
        ("intake", "view_choice"),
        ("intake", "view_clinicdetails"),
        ("intake", "view_clinician"),
        ("intake", "view_consentsignature"),
        ("intake", "view_consenttext"),
        ("intake", "view_freedtime"),
        ("intake", "view_lead"),
        ("intake", "view_leadnote"),
        ("intake", "view_measure"),
        ("intake", "view_measureitem"),
        ("intake", "view_measureresponse"),
        ("intake", "view_openinghours"),
        ("intake", "view_outcomerule"),
        ("intake", "view_outcometally"),
        ("intake", "view_previsit"),
        ("intake", "view_previsit_answers"),
        ("intake", "view_programme"),
        ("intake", "view_programmesession"),
        ("intake", "view_programmeversion"),
        ("intake", "view_question"),
        ("intake", "view_questionnaire"),
        ("intake", "view_report"),
        ("intake", "view_specialty"),
        ("intake", "view_timeoff"),
        ("intake", "view_waitlistentry"),
        ("intake", "view_waitlistoffer"),
        ("intake", "view_weeklyavailability"),
    ],
    "Front desk": [
        ("django_tasks_database", "view_dbtaskresult"),
        ("intake", "add_appointment"),
        ("intake", "add_lead"),
        ("intake", "add_leadnote"),
        ("intake", "add_openinghours"),
        ("intake", "add_specialty"),
        ("intake", "add_timeoff"),
        ("intake", "add_weeklyavailability"),
        ("intake", "change_appointment"),
        ("intake", "change_clinicdetails"),
        ("intake", "change_clinician"),
        ("intake", "change_lead"),
        ("intake", "change_leadnote"),
        ("intake", "change_openinghours"),
        ("intake", "change_specialty"),
        ("intake", "change_timeoff"),
        ("intake", "change_waitlistentry"),
        ("intake", "change_weeklyavailability"),
        ("intake", "delete_openinghours"),
        ("intake", "delete_timeoff"),
        ("intake", "delete_waitlistentry"),
        ("intake", "delete_weeklyavailability"),
        ("intake", "export_lead"),
        ("intake", "view_appointment"),
        ("intake", "view_attendancechange"),
        ("intake", "view_clinicdetails"),
        ("intake", "view_clinician"),
        ("intake", "view_freedtime"),
        ("intake", "view_lead"),
        ("intake", "view_leadnote"),
        ("intake", "view_openinghours"),
        ("intake", "view_previsit"),
        ("intake", "view_programme"),
        ("intake", "view_specialty"),
        ("intake", "view_timeoff"),
        ("intake", "view_waitlistentry"),
        ("intake", "view_waitlistoffer"),
        ("intake", "view_weeklyavailability"),
    ],
    "Owner": [
        ("intake", "view_clinician"),
        ("intake", "view_freedtime"),
        ("intake", "view_report"),
        ("intake", "view_timeoff"),
        ("intake", "view_weeklyavailability"),
    ],
}


def set_group_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in wanted
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0035_report_permission"),
        ("education", "0015_seed_starter_exercises"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(set_group_permissions, migrations.RunPython.noop)]
