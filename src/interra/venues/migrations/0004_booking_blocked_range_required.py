from django.db import migrations, models


class Migration(migrations.Migration):
    """Every booking has its held range (filled by 0003): make it required."""

    dependencies = [
        ("venues", "0003_booking_no_overlap"),
    ]

    operations = [
        migrations.AlterField(
            model_name="booking",
            name="blocked_from",
            field=models.DateTimeField(editable=False, verbose_name="room held from"),
        ),
        migrations.AlterField(
            model_name="booking",
            name="blocked_until",
            field=models.DateTimeField(editable=False, verbose_name="room held until"),
        ),
    ]
