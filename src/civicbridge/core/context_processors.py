from django.conf import settings


def platform(request):
    return {
        "site_name": settings.CIVICBRIDGE_SITE_NAME,
        "demo_mode": settings.DEMO_MODE,
    }
