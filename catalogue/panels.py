"""Admin panels of the catalogue's own making."""

from wagtail.admin.panels import FieldPanel


class ReadOnlyFieldPanel(FieldPanel):
    """A field editors see but do not edit, with words for an empty value.

    Wagtail shows an empty read-only value as the text "None".
    """

    def __init__(self, field_name, empty_text="", **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)
        self.empty_text = empty_text

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "empty_text": self.empty_text}

    def format_value_for_display(self, value):
        if value is None or value == "":
            return self.empty_text
        return super().format_value_for_display(value)
