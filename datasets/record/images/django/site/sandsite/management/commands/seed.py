from django.core.management.base import BaseCommand

from sandsite.models import Item


class Command(BaseCommand):
    help = "Fill the item table (image build time)."

    def handle(self, *args, **options):
        Item.objects.all().delete()
        Item.objects.bulk_create(Item(name=f"item-{i}", price=i * 10) for i in range(1, 101))
