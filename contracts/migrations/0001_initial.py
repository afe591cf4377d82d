import contracts.models.award
import core.clock
import django.core.validators
import django.db.models.deletion
import django_fsm
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MOVED = [
    "award",
    "awardapproval",
    "awarddecision",
    "certificate",
    "letter",
    "contract",
    "contractshare",
    "amendment",
    "amendmentapproval",
    "signature",
]


def take_over_content_types(apps, schema_editor):
    """The moved models keep their content types, and so their ids: the journal's entries,
    whose keyed hashes cover the content type id, still verify and still point at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="procurement", model__in=MOVED).update(
        app_label="contracts"
    )


def give_back_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="contracts", model__in=MOVED).update(
        app_label="procurement"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('groupement', '0002_committee_quorum'),
        ('procurement', '0005_move_award_and_contracts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Takes over the tables of procurement's award and contract models as they are (see
    # procurement.0005); contracts.0002 then renames them.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Award',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rank', models.PositiveIntegerField(verbose_name='rank in the evaluation')),
                        ('total', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='total score / 100')),
                        ('reason', models.TextField(blank=True, verbose_name='reason for not choosing the first ranked')),
                        ('proposed_at', models.DateTimeField(verbose_name='proposed at')),
                        ('letters_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='letters sent at')),
                        ('letters_electronic', models.BooleanField(default=True, verbose_name='letters sent electronically')),
                        ('standstill_ends_at', models.DateTimeField(blank=True, null=True, verbose_name='end of the standstill')),
                        ('bid', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procurement.bid', verbose_name='proposed winner')),
                        ('lot', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='award', to='procurement.lot')),
                        ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'award',
                        'verbose_name_plural': 'awards',
                        'db_table': 'procurement_award',
                        'ordering': ['lot'],
                    },
                ),
                migrations.CreateModel(
                    name='Contract',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=16, unique=True, verbose_name='contract number')),
                        ('title', models.CharField(max_length=300, verbose_name='object')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('1'))], verbose_name='amount (€ HT)')),
                        ('amount_kind', models.CharField(choices=[('fixed', 'Fixed amount'), ('maximum', 'Maximum amount')], default='fixed', max_length=10, verbose_name='amount')),
                        ('duration_months', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(600)], verbose_name='duration (months)')),
                        ('price_form', models.CharField(choices=[('Unitaire', 'Unit prices'), ('Forfaitaire', 'Lump sum'), ('Mixte', 'Mixed')], default='Forfaitaire', max_length=20, verbose_name='price form')),
                        ('price_type', models.CharField(choices=[('Définitif ferme', 'Firm'), ('Définitif actualisable', 'Adjustable (actualisable)'), ('Définitif révisable', 'Revisable (révisable)'), ('Provisoire', 'Provisional')], default='Définitif révisable', max_length=30, verbose_name='price type')),
                        ('ccag', models.CharField(choices=[('Fournitures courantes et services', 'CCAG-FCS (supplies and services)'), ('Prestations intellectuelles', 'CCAG-PI (intellectual services)'), ("Techniques de l'information et de la communication", 'CCAG-TIC'), ('Marchés industriels', 'CCAG-MI (industrial)'), ('Travaux', 'CCAG-Travaux (works)'), ("Maitrise d'œuvre", 'CCAG-MOE (project management)'), ('Pas de CCAG', 'No CCAG')], default='Fournitures courantes et services', max_length=60, verbose_name='CCAG')),
                        ('execution_mode', models.CharField(choices=[('Sans objet', 'Single execution'), ('Bons de commande', 'Purchase orders'), ('Tranches', 'Tranches'), ('Marchés subséquents', 'Subsequent contracts')], default='Sans objet', max_length=30, verbose_name='execution')),
                        ('framework_agreement', models.BooleanField(default=False, verbose_name='framework agreement')),
                        ('place_code', models.CharField(default='62', max_length=5, verbose_name='place of execution (département code)')),
                        ('social', models.CharField(choices=[('Pas de considération sociale', 'None'), ('Clause sociale', 'Social clause'), ('Critère social', 'Social criterion'), ('Marché réservé', 'Reserved contract')], default='Pas de considération sociale', max_length=40, verbose_name='social considerations')),
                        ('environmental', models.CharField(choices=[('Pas de considération environnementale', 'None'), ('Clause environnementale', 'Environmental clause'), ('Critère environnemental', 'Environmental criterion')], default='Pas de considération environnementale', max_length=40, verbose_name='environmental considerations')),
                        ('innovative', models.BooleanField(default=False, verbose_name='innovative')),
                        ('advance_rate', models.DecimalField(blank=True, decimal_places=3, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='advance (share of the amount)')),
                        ('shares_overridden', models.BooleanField(default=False, verbose_name='shares set for this contract')),
                        ('state', django_fsm.FSMField(choices=[('to_sign', 'To sign'), ('signed', 'Signed'), ('notified', 'Notified'), ('in_execution', 'In execution'), ('completed', 'Completed'), ('terminated', 'Terminated')], default='to_sign', max_length=50, protected=True, verbose_name='state')),
                        ('signed_on', models.DateField(blank=True, null=True, verbose_name='signed on')),
                        ('notified_on', models.DateField(blank=True, null=True, verbose_name='notified on')),
                        ('started_on', models.DateField(blank=True, null=True, verbose_name='execution started on')),
                        ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
                        ('termination_ground', models.CharField(blank=True, choices=[('general_interest', 'General interest (L2195-3 CCP)'), ('holder_fault', 'Serious fault of the holder (L2195-3 CCP)'), ('force_majeure', 'Force majeure (L2195-2 CCP)'), ('holder_situation', "Holder's situation: liquidation, death (L2195-4)"), ('court', 'Court decision (L2195-6 CCP)')], max_length=20, verbose_name='ground for termination')),
                        ('termination_reason', models.TextField(blank=True, verbose_name='explanation of the termination')),
                        ('data_published_on', models.DateField(blank=True, null=True, verbose_name='essential data published on')),
                        ('created_at', models.DateTimeField(default=core.clock.now, editable=False)),
                        ('award', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='contract', to='contracts.award')),
                        ('holder', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contracts', to='procurement.bidder', verbose_name='holder')),
                        ('lot', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='contract', to='procurement.lot')),
                    ],
                    options={
                        'verbose_name': 'contract',
                        'verbose_name_plural': 'contracts',
                        'db_table': 'procurement_contract',
                        'ordering': ['lot'],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='Amendment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='number')),
                        ('ground', models.CharField(choices=[('review_clause', 'Review clause (R2194-1 CCP)'), ('additional', 'Additional services (R2194-2 CCP)'), ('unforeseeable', 'Unforeseeable circumstances (R2194-5 CCP)'), ('non_substantial', 'Non-substantial modification (R2194-7 CCP)'), ('small', 'Small modification (R2194-8 CCP)')], max_length=20, verbose_name='legal ground')),
                        ('description', models.TextField(verbose_name='object of the modification')),
                        ('amount_change', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='change of the amount (€ HT)')),
                        ('duration_change_months', models.IntegerField(default=0, verbose_name='change of the duration (months)')),
                        ('committee_opinion_on', models.DateField(blank=True, null=True, verbose_name="date of the tender committee's opinion")),
                        ('committee_opinion', models.TextField(blank=True, verbose_name="tender committee's opinion")),
                        ('state', django_fsm.FSMField(choices=[('proposed', 'Proposed'), ('approved', 'Approved by the members'), ('refused', 'Refused by a member'), ('signed', 'Signed')], default='proposed', max_length=50, protected=True, verbose_name='state')),
                        ('proposed_at', models.DateTimeField(verbose_name='proposed at')),
                        ('refusal_reason', models.TextField(blank=True, verbose_name='reason for the refusal')),
                        ('signed_on', models.DateField(blank=True, null=True, verbose_name='signed on')),
                        ('notified_on', models.DateField(blank=True, null=True, verbose_name='notified on')),
                        ('data_published_on', models.DateField(blank=True, null=True, verbose_name='essential data published on')),
                        ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='amendments', to='contracts.contract')),
                    ],
                    options={
                        'verbose_name': 'amendment',
                        'verbose_name_plural': 'amendments',
                        'db_table': 'procurement_amendment',
                        'ordering': ['contract', 'number'],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='ContractShare',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('share', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='share (%)')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount (€ HT)')),
                        ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='contracts.contract')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groupement.organisation', verbose_name='member')),
                    ],
                    options={
                        'verbose_name': "member's share",
                        'verbose_name_plural': "members' shares",
                        'db_table': 'procurement_contractshare',
                        'ordering': ['contract', 'organisation__name'],
                    },
                ),
                migrations.CreateModel(
                    name='Letter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('award', 'Award letter'), ('rejection', 'Rejection letter')], max_length=20, verbose_name='letter')),
                        ('file', models.FileField(upload_to=contracts.models.award.letter_path)),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                        ('sent_at', models.DateTimeField(verbose_name='sent at')),
                        ('electronic', models.BooleanField(verbose_name='sent electronically')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='sent to')),
                        ('award', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='letters', to='contracts.award')),
                        ('bid', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='letters', to='procurement.bid')),
                    ],
                    options={
                        'verbose_name': 'letter',
                        'verbose_name_plural': 'letters',
                        'db_table': 'procurement_letter',
                        'ordering': ['award', 'kind', 'bid__bidder__name'],
                    },
                ),
                migrations.CreateModel(
                    name='Signature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('signed_on', models.DateField(verbose_name='signed on')),
                        ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                        ('amendment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='signatures', to='contracts.amendment')),
                        ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatures', to='contracts.contract')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groupement.organisation')),
                        ('signed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'signature',
                        'verbose_name_plural': 'signatures',
                        'db_table': 'procurement_signature',
                        'ordering': ['contract', 'amendment', 'signed_on'],
                    },
                ),
                migrations.CreateModel(
                    name='AmendmentApproval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('approved', models.BooleanField(verbose_name='approved')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('decided_at', models.DateTimeField(verbose_name='decided at')),
                        ('amendment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='approvals', to='contracts.amendment')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groupement.organisation')),
                    ],
                    options={
                        'verbose_name': 'member approval of an amendment',
                        'verbose_name_plural': 'member approvals of amendments',
                        'db_table': 'procurement_amendmentapproval',
                        'ordering': ['amendment', 'organisation__name'],
                        'constraints': [models.UniqueConstraint(fields=('amendment', 'organisation'), name='one_approval_per_member_and_amendment')],
                    },
                ),
                migrations.CreateModel(
                    name='AwardApproval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision', models.CharField(choices=[('approved', 'Approved'), ('changes_requested', 'Changes requested')], max_length=20, verbose_name='decision')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('decided_at', models.DateTimeField(verbose_name='decided at')),
                        ('award_round', models.PositiveIntegerField()),
                        ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='award_approvals', to='procurement.consultation')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groupement.organisation')),
                    ],
                    options={
                        'verbose_name': 'member approval of the award',
                        'verbose_name_plural': 'member approvals of the award',
                        'db_table': 'procurement_awardapproval',
                        'ordering': ['consultation', 'award_round', 'organisation__name'],
                        'constraints': [models.UniqueConstraint(fields=('consultation', 'organisation', 'award_round'), name='one_award_approval_per_member_and_round')],
                    },
                ),
                migrations.CreateModel(
                    name='AwardDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('award_round', models.PositiveIntegerField()),
                        ('body', models.CharField(choices=[('committee', 'Tender committee (CAO)'), ('coordinator', 'The coordinator')], max_length=20, verbose_name='deciding body')),
                        ('decided_on', models.DateField(verbose_name='date of the decision')),
                        ('quorum', models.PositiveIntegerField(blank=True, null=True, verbose_name='quorum')),
                        ('minutes', models.TextField(blank=True, verbose_name='minutes')),
                        ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                        ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='award_decisions', to='procurement.consultation')),
                        ('present', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='members present')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'award decision',
                        'verbose_name_plural': 'award decisions',
                        'db_table': 'procurement_awarddecision',
                        'ordering': ['consultation', 'award_round'],
                        'constraints': [models.UniqueConstraint(fields=('consultation', 'award_round'), name='one_decision_per_award_round')],
                    },
                ),
                migrations.CreateModel(
                    name='Certificate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('tax', 'Tax certificate (attestation de régularité fiscale)'), ('social', 'Social-security certificate (attestation sociale)'), ('urssaf', 'URSSAF vigilance certificate (attestation de vigilance)')], max_length=10, verbose_name='certificate')),
                        ('issued_on', models.DateField(verbose_name='issued on')),
                        ('reference', models.CharField(blank=True, max_length=120, verbose_name='reference or issuer')),
                        ('checked_at', models.DateTimeField(verbose_name='checked at')),
                        ('award', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificates', to='contracts.award')),
                        ('checked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'certificate',
                        'verbose_name_plural': 'certificates',
                        'db_table': 'procurement_certificate',
                        'ordering': ['award', 'kind'],
                        'constraints': [models.UniqueConstraint(fields=('award', 'kind'), name='one_certificate_per_kind')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.UniqueConstraint(fields=('contract', 'number'), name='one_amendment_per_number'),
                ),
                migrations.AddConstraint(
                    model_name='contractshare',
                    constraint=models.UniqueConstraint(fields=('contract', 'organisation'), name='one_share_per_member_and_contract'),
                ),
                migrations.AddConstraint(
                    model_name='letter',
                    constraint=models.UniqueConstraint(fields=('award', 'bid'), name='one_letter_per_bid'),
                ),
                migrations.AddConstraint(
                    model_name='signature',
                    constraint=models.UniqueConstraint(condition=models.Q(('amendment__isnull', True)), fields=('contract', 'organisation'), name='one_contract_signature_per_signatory'),
                ),
                migrations.AddConstraint(
                    model_name='signature',
                    constraint=models.UniqueConstraint(condition=models.Q(('amendment__isnull', False)), fields=('amendment', 'organisation'), name='one_amendment_signature_per_signatory'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(take_over_content_types, give_back_content_types),
    ]
