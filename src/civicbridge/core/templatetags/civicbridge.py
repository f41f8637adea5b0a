from django import template

from civicbridge.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def has_perm(context, permission, obj=None):
    user = context["request"].user
    return user.has_perm(permission, obj)
