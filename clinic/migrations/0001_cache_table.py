"""The database cache's table, so a fresh deploy needs `migrate` alone.

Django's default cache (`CACHE_URL` unset) is the "cache" table, which only
`createcachetable` used to make: until someone ran it, pages using the cache answered 500
(the guide's copies lived there then). The table's definition is frozen here, as `createcachetable` writes
it; a database that already has the table (made by that command) is left as it is.
"""

from django.apps.registry import Apps
from django.db import migrations, models

TABLE = "cache"


def create_cache_table(apps, schema_editor) -> None:
    if TABLE in schema_editor.connection.introspection.table_names():
        return

    class CacheEntry(models.Model):
        cache_key = models.CharField(max_length=255, unique=True, primary_key=True)
        value = models.TextField()
        expires = models.DateTimeField(db_index=True)

        class Meta:
            apps = Apps()  # kept out of the project's models: only the table matters
            app_label = "clinic"
            db_table = TABLE

        def __str__(self) -> str:
            return self.cache_key

    schema_editor.create_model(CacheEntry)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
