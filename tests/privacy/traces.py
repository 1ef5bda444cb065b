"""Looking for a person in every table of the site."""

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField, models.URLField)


def rows_naming(word: str) -> list[str]:
    """Every row of every model with `word` in any of its text or JSON fields, as
    "app.Model pk: field" strings (empty if the word is nowhere)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        match = Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                match |= Q(**{f"{field.attname}__icontains": word})
            elif isinstance(field, models.JSONField):
                match |= Q(**{f"_text_{field.attname}__icontains": word})
        if not match:
            continue
        rows = model._default_manager.all()
        json_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        rows = rows.annotate(
            **{f"_text_{f.attname}": Cast(f.attname, TextField()) for f in json_fields}
        )
        for pk in rows.filter(match).values_list("pk", flat=True):
            found.append(f"{model._meta.label} {pk}")
    return found
