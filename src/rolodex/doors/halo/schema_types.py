"""The typed fields of Halo's objects, as its server binds them (rolodex.doors.halo.binding).

Generated from Halo's own OpenAPI document (the "Halo API v2" swagger published in
covenanttechnologysolutions/halopsa-rest, generator/spec/swagger.json, cut down to the paths
this door serves and the schemas they reference). It lists, per schema reachable from the
objects this door's writes take (Area, Site, AreaNote, AreaPopup), only what binding changes:
each field typed integer (`int`), decimal (`num`) or boolean (`bool`), each object of a schema
holding such fields (`AddressStore`), and lists of either (`[int]`, `[Site]`). Text and
date-time fields, and schemas holding nothing of these, are left out: they are kept as sent.
tests/halo/test_lenient_bodies.py checks the Area entry against the Area schema's types.

Data, not code: each schema's entry is "name:kind" pairs separated by spaces.
"""

from __future__ import annotations

SCALARS = frozenset({"int", "num", "bool"})

_RAW: dict[str, str] = {
    "Area": (
        "id:int toplevel_id:int inactive:bool confirmemail:int actionemail:int clearemail:int "
        "messagegroup_id:int override_org_logo:bool override_org_address:AddressStore "
        "mailbox_override:int default_mailbox_id:int item_tax_code:int service_tax_code:int "
        "prepay_tax_code:int contract_tax_code:int customfields:[CustomField] "
        "custombuttons:[CustomButton] attachments:[Attachment] site_fields:[FieldHelper] "
        "pritech:int sectech:int accountmanagertech:int open_ticket_count:int "
        "opps_ticket_count:int createdfrom_id:int prinotify:bool secnotify:bool priassign:bool "
        "secassign:bool chargeperiod:int chargehours:num chargecarryover:num invoiceyes:bool "
        "floverride:bool fluserdef1hide:bool fluserdef2hide:bool fluserdef3hide:bool "
        "fluserdef4hide:bool fluserdef5hide:bool fluserdef1mand:bool fluserdef2mand:bool "
        "fluserdef3mand:bool fluserdef4mand:bool fluserdef5mand:bool includeactions:bool "
        "needsinvoice:bool startbalance:num hourlyrate:num periodcharge:num dontinvoice:bool "
        "showslaonweb:bool imageindex:int chargehours2:num hourlyrate2:num ucemail:int "
        "fcemail:int smsbalance:int hv:num emailinvoice:bool dont_auto_send_invoices:bool "
        "seriousnesslevel:int thresholdbreached:int monthlyreportinclude:bool "
        "monthlyreportemaildirect:bool monthlyreportemailmanager:bool monthlyreportshowonweb:bool "
        "areatype:int unmatchedcombinations:int billforrecurringprepayamount:bool "
        "prepayrecurringcharge:num prepayrecurringhours:num prepayrecurringchargebp:int "
        "paymentterms:int showallnonbillable:bool billinggroup:int autotopupthreshhold:num "
        "autotopuptoamount:num autotopupcostperhour:num autotopupbyamount:num surchargeid:int "
        "billingtemplate_id:int clientpackage:int scopeofbusiness:int preferredagent:int "
        "automatic_callscript_id:int discountperc:num showfaqfortoplevel:bool isopportunity:int "
        "main_site_id:int linked_organisation_id:int all_organisations_allowed:bool "
        "allowed_organisations:[Organisation] site_update:[Site] newclient_web_access_level:int "
        "newclient_sendwelcomeemail:bool newclient_delivery_address:AddressStore "
        "newclient_regioncode:int faqlists:[FAQListHead] popup_notes:[AreaPopup] "
        "_reassign_all_to_user:int allowall_tickettypes:bool "
        "allowed_tickettypes:[RequestType_List] allowall_category1:bool "
        "allowed_category1:[CategoryRestriction] allowall_category2:bool "
        "allowed_category2:[CategoryRestriction] allowall_category3:bool "
        "allowed_category3:[CategoryRestriction] allowall_category4:bool alocked:bool "
        "allowed_category4:[CategoryRestriction] onhold_ticket_count:int total_ticket_count:int "
        "opened_thismonth_count:int billingplans:[ContractDetail] overriding_rates:[ChargeRate] "
        "allowallchargerates:bool chargerates:[ChargeRateArea] _isimport:bool "
        "excludefrominvoicesync:bool allow_api_access:bool areaitems:[AreaItem] "
        "override_portalcolour:bool ninjarmmid:int isarchived_xero:bool sales_tax_code:int "
        "purchase_tax_code:int prepayhistory:[PrepayHistory] periods:[PrepayPeriod] "
        "prepayrecurringminimumdeduction:num prepayrecurringminimumdeductiononlyactive:bool "
        "prepayrecurringautomaticdeduction:num prepaytotal:num prepayused:num prepaybalance:num "
        "preferreddeliverymethod:int qbodefaulttax:int default_contract:int device42id:int "
        "xerodetails_id:int isnhserveremaildefault:bool datto_alternate_id:int "
        "dattocommerce_tenantid:int qbodefaulttaxcode:int qbo_default_tax_code:KeyPair2 "
        "connectwiseid:int autotaskid:int import_address:AddressStore import_notes:[AreaNote] "
        "ateraid:int kashflowid:int service_access:[ServiceRestriction] "
        "service_subscriptions:[ServiceUser] _apply_billingtemplate:bool datto_commerce_id:int "
        "import_details_id:int syncroid:int kbentries:[KBEntry_List] hubspot_dont_sync:bool "
        "hubspot_archived:bool passportal_id:int update_licences:bool prepayasamount:bool "
        "synced_to_intacct:bool oppid:int isclientdetails:bool prepayrecurringexpirymonths:int "
        "defaultcontractoverride:int sqlimport_id:int external_links:[ExternalLink_List] "
        "new_external_link:ExternalLink_List donotimport:bool liongardid:int "
        "sync_to_liongard:bool default_team_to_salesrep_override:bool salesforce_dontsync:bool "
        "servicenow_priority_mappings:[IntegrationFieldMapping] "
        "servicenow_status_mappings:[IntegrationFieldMapping] "
        "servicenow_impact_mappings:[IntegrationFieldMapping] "
        "servicenow_urgency_mappings:[IntegrationFieldMapping] "
        "servicenow_category_mappings:[IntegrationFieldMapping] "
        "servicenow_assignmentgroup:KeyPair2 servicenow_defaultuser:KeyPair2 test_servicenow:bool "
        "sage_business_cloud_details_id:int exact_division:int ncentral_details_id:int "
        "intacct_location_id_list:[KeyPair2] test_jira:bool jira_servicedesk:KeyPair2 "
        "jira_requesttype_mappings:[IntegrationFieldMapping] jira_user:KeyPair2 "
        "jira_priority_mappings:[IntegrationFieldMapping] "
        "jira_status_mappings:[IntegrationFieldMapping] create_jira_webhook:bool "
        "jira_webhook_created:bool defaultpdftemplateinvoicetickets:int "
        "defaultpdftemplateinvoiceorders:int defaultpdftemplateinvoicerecurring:int "
        "ingram_micro_details_id:int _dont_fire_automations:bool "
        "main_delivery_address:AddressStore main_invoice_address:AddressStore "
        "auvik_site_inactive:bool fortnox_tenant:int servicenow_enable_webhook:bool "
        "servicenow_webhook_user:int servicenow_webhook_tickettype:int myob_tenant:int "
        "sync_servicenow_attachments:int twilio_subaccount_created:bool "
        "_create_twilio_subaccount:bool _close_twilio_subaccount:bool "
        "_pauseunpause_twilio_subaccount:bool _create_twilio_recurringinvoice:bool "
        "twilio_recurring_invoice_id:int override_layout_id:int extratabs:[Tabname] "
        "servicenow_team_mappings:[IntegrationFieldMapping] "
        "servicenow_ticket_sync_list:[KeyPair2] "
        "servicenow_fieldmappings:[IntegrationFieldMapping] jira_webhook_user:int "
        "_merge_client_into:int regmanagertech:int logmanagertech:int salesreptech:int "
        "accountownertech:int cxmleadtech:int overridepdftemplateinvoice:int "
        "kashflow_tenant_id:int client_to_invoice:int invoiceduedaysextraclient:int "
        "sentinel_tenant_id:int default_currency_code:int client_to_invoice_recurring:int "
        "azure_tenants:[AreaAzureTenant] snow_id:int snowLicences:[SnowLicenseAbstract] "
        "automatic_sales_tax:bool cautomateid:int stopped:int customertype:int "
        "servicenow_validated:bool sentinel_default_user_override:int jira_validated:bool "
        "ticket_invoices_for_each_site:bool is_vip:bool taxable:bool "
        "quickbooks_details:QuickBooksDetails percentage_to_survey:int "
        "overridepdftemplatequote:int avalara_tenant:int due_date_type:int "
        "toplevel_quote_currency:int"
    ),
    "AddressStore": (
        "id:int type:int primary:bool inactive:bool lat:num long:num site_id:int user_id:int "
        "_isimport:bool"
    ),
    "CustomField": (
        "id:int type:int value_is_password_id:bool characterlimit:int characterlimittype:int "
        "inputtype:int copytochild:bool searchable:bool ordervalues:bool ordervaluesby:int "
        "database_lookup_id:int database_lookup_auto:bool "
        "database_lookup_triggers:[PartsLookupField] extratype:int copytochildonupdate:bool "
        "usage:int linked_table_id:int showondetailsscreen:bool custom_extra_table_id:int "
        "copytorelated:bool rounding:int int_value_is_display:bool onlyshowforagents:bool "
        "is_horizontal:bool copied:bool isencrypted:bool max_selection:int selection_field_id:int "
        "validation_data:[CustomFieldValidation] database_lookup_input:int "
        "table_data_entry_type:int showintable:bool table_height:int dont_delete_rows:bool "
        "table_matching_field:int new_storage_method:bool load_type:int"
    ),
    "PartsLookupField": "id:int lookup_profile_id:int field_id:int required:bool",
    "CustomFieldValidation": (
        "id:int fiid:int filinktoid:int validationtype:int askforreason:bool hours:int"
    ),
    "CustomButton": "id:int usage:int seq:int newtab:bool msid:int",
    "Attachment": (
        "id:int filesize:int type:int unique_id:int isimage:bool ticket_id:int action_id:int "
        "user_id:int agent_id:int attachmentaction_id:int _canupdate:bool image_upload_id:int "
        "_enduserportalpdfprint:bool anon_outcomeid:int has_scanned:bool _is_new_version:bool "
        "version_count:int _alreadyuploaded:bool copy_from_id:int showforusers:bool "
        "showonchild:bool showonrelated:bool already_posted:bool faultid:int _isimport:bool "
        "child_count:int parent_id:int linked_version_id:int"
    ),
    "FieldHelper": (
        "id:int mandatory:bool showonactivity:bool lookup:int systemuse:int parenttype_id:int "
        "mapping_id:int access_level:int typeinfo_id:int tab_id:int tab_sequence:int "
        "tab_columns:int techdetail:int userdetail:int "
        "visibility_conditions:[CustomFieldVisibility]"
    ),
    "CustomFieldVisibility": (
        "id:int tickettype_id:int field_id:int lookup_field_id:int lookup_value_id:int "
        "field_value:int dynamic_SQL_field:bool value_modified:bool conditiontype:int"
    ),
    "Organisation": (
        "id:int messagegroup_id:int address:AddressStore deliverysite:int departments:[Tree_List] "
        "linked_client_id:int allowall_tickettypes:bool allowed_tickettypes:[RequestType_List] "
        "faqlists:[FAQListHead] customfields:[CustomField] isorganisationdetails:bool"
    ),
    "Tree_List": (
        "id:int accounts_override_mailbox:int organisation_id:int type:int "
        "teams:[SectionDetail_List] agent_members:[Uname_List] managers:[Manager] user_count:int"
    ),
    "SectionDetail_List": (
        "id:int sequence:int forrequests:bool foropps:bool forprojects:bool ticket_count:int "
        "department_id:int inactive:bool override_column_id:int agents:[Uname_List] "
        "managers:[Manager] hide_agents_in_tree_if_no_tickets:bool"
    ),
    "Uname_List": (
        "id:int onlinestatus_actual:int onlinestatus:int is_online:bool isdisabled:bool "
        "ticket_count:int is_agent:bool one_client:int teams:[UnameSection] "
        "departments:[UnameDepartment] clients:[UnameAreaRestriction] "
        "tickettypes:[UnameRequestType] qualifications:[UnameQualification] "
        "qualification_weighting:int qualified:bool assettypes:[UnameXtype] linemanager:int "
        "inboxes:int exchange_authorized:bool sentinel_authorized:bool licence_type:int "
        "named_licences_in_use:int google_mail_authorized:bool isapiagent:bool "
        "splashtop_authorized:bool gotoresolve_authorized:bool assetfields:[UnameField] "
        "unamecustomfields:[UnameCustom] unameappointmenttypes:[UnameAppointment] _canupdate:bool "
        "_canupdate_moreinfo:bool allowbeyondtrustinvites:bool custombuttons:[UnameButton] "
        "apptsync:int enableshifts:bool sendemailerrors:bool uname_usercustomfields:[UnameCustom] "
        "can_approve_purchaseorder:bool can_approve_quote:bool can_approve_invoice:bool "
        "default_splashtop_channel:int workday_id:int"
    ),
    "UnameSection": (
        "id:int agent_id:int team_id:int department_id:int is_manager:bool no_config_access:bool "
        "unassigned_access:bool otheragent_access:bool fortickets:bool foropps:bool "
        "forprojects:bool in_section:bool"
    ),
    "UnameDepartment": (
        "id:int agent_id:int department_id:int membershiplevel:int includeteamsintree:bool"
    ),
    "UnameAreaRestriction": "id:int agent_id:int client_id:int",
    "UnameRequestType": (
        "id:int agent_id:int tickettype_id:int cancreate:bool canview:bool canedit:bool"
    ),
    "UnameQualification": "id:int agent_id:int qualification_id:int",
    "UnameXtype": "id:int agent_id:int assettype_id:int cancreate:bool canview:bool canedit:bool",
    "UnameField": "id:int agent_id:int field_id:int level:int",
    "UnameCustom": (
        "id:int agent_id:int field_id:int level:int canadd:bool candelete:bool canedit:bool "
        "customfield_type:int"
    ),
    "UnameAppointment": "id:int agent_id:int field_id:int level:int",
    "UnameButton": "id:int agent_id:int button_id:int can_access:bool",
    "Manager": "id:int agent_id:int user_id:int",
    "RequestType_List": (
        "id:int sequence:int default_sla:int group_id:int ticket_count:int cancreate:bool "
        "agentscanselect:bool itilrequesttype:int allowattachments:bool "
        "copyattachmentstochild:bool copyattachmentstorelated:bool is_sprint:bool "
        "fieldidlist:[int] enduserscanselect:bool anonymouscanselect:bool "
        "hasmandatorytechfields:bool hasmandatoryuserfields:bool default_agent:int "
        "default_priority:int"
    ),
    "FAQListHead": (
        "id:int showforall:bool showforallagents:bool level:int is_group:bool group_id:int "
        "article_count:int type:int fields:[RequestTypeField] roles:[UserRoles] "
        "draft_roles:[UserRoles] new_external_link:ExternalLink_List _isimport:bool "
        "import_details_id:int translations:[LanguagePackTranslationsCustom] "
        "access_control:[AccessControl] access_control_level:int"
    ),
    "RequestTypeField": (
        "copytochildonupdate:bool id:int rtid:int fieldid:int seq:int tableid:int groupid:int "
        "endusernew:int enduserdetail:int enduserdetailrejected:int technew:int techdetail:int "
        "fieldinfo:FieldInfo visibility_conditions:[CustomFieldVisibility] "
        "visibility_conditions_value:[CustomFieldVisibility] "
        "value_restrictions:[CustomFieldValueRestrictions] group:FieldGroup technewlocation:int "
        "restrictupdate:int update_restrictions:[RequestTypeFieldRestriction] techtab_id:int "
        "showdependency:bool canupdate:bool boldlabelandvalue:bool enduserdetailhideifempty:bool "
        "techdetailhideifempty:bool copytochild:bool copytorelated:bool restrictread:int "
        "read_restrictions:[RequestTypeFieldRestriction] techtab_columns:int techaction:int "
        "enduseraction:int endusercheckboxmandatory:bool "
        "translations:[LanguagePackTranslationsCustom] display_type:int"
    ),
    "FieldInfo": (
        "id:int lookup:int type:int custom:int usage:int tab_id:int tab_sequence:int "
        "tab_columns:int table_id:int readonly:bool addunknown:bool extratype:int "
        "characterlimit:int characterlimittype:int inputtype:int copytochild:bool searchable:bool "
        "user_searchable:bool calendar_searchable:bool ordervaluesalphanumerically:bool "
        "ordervalueby:int defaultvalue_table:[CustomTableRow] values:[Lookup] "
        "table_values:[CustomTableRow] table_info:CustomTable client_restrictions:[AreaField] "
        "org_restrictions:[OrganisationField] database_lookup_id:int database_lookup_auto:bool "
        "database_lookup_triggers:[PartsLookupField] copytochildonupdate:bool showintable:bool "
        "seq:int visibility:int _testsql:bool showhintondetails:bool showondetailsscreen:bool "
        "selection_field_id:int customextratableid:int copytorelated:bool deleteafterclosure:bool "
        "deleteafterclosuredays:int defaultdate:int validation_data:[CustomFieldValidation] "
        "rounding:int onlyshowforagents:bool excludefromallfields:bool mandatory:bool "
        "visibility_conditions:[CustomFieldVisibility] access_control:[AccessControl] "
        "access_control_level:int inherit_ac_from_tickettype:bool is_horizontal:bool "
        "sqlcfvariables:[int] showoncrmnote:bool database_lookup_input:int "
        "table_data_entry_type:int isencrypted:bool table_height:int sql_connection_type:int "
        "sql_certificate_id:int lookup_request:SqlLookupRequest max_selection:int hint_type:int "
        "defaultdays:int new_storage_method:bool load_type:int hide_from_filters:bool"
    ),
    "CustomTableRow": "id:int fkid:int customfields:[CustomField]",
    "Lookup": (
        "lookupid:int id:int value2_bool:bool value3_bool:bool value4_bool:bool value5_bool:bool "
        "value6_bool:bool value7_bool:bool value8_bool:bool value9_bool:bool rates:[ChargeRate] "
        "overriding_rate_id:int _isnewcode:bool _isimport:bool access_control:[AccessControl] "
        "access_control_level:int custom1_bool:bool valueint1:int sequence:int "
        "sub_lookup:[Lookup] translations:[LanguagePackTranslationsCustom] inactive:bool"
    ),
    "ChargeRate": (
        "id:int area:int contract_id:int charge_id:int rate:num org:int minimum:num increment:num "
        "oohmultiplier:num holidaymultiplier:num weekendmultiplier:num surcharge:bool round:int "
        "useagentworkinghours:bool use_budget_rate:bool current:bool current_rate:num "
        "use_for_travel:bool use_for_mileage:bool travel_surchargeid:int contractmultiplier:num "
        "rateoverride:num override_surcharge:bool"
    ),
    "AccessControl": (
        "id:int entity_id:int type:int agent_id:int user_id:int role_id:int team_id:int "
        "department_id:int level:int"
    ),
    "LanguagePackTranslationsCustom": (
        "id:int language_id:int entity_id:int entity_id2:int _dotranslate:bool "
        "_translateonly:bool _isimport:bool"
    ),
    "CustomTable": (
        "ctfield:CustomField customfields:[CustomField] add_customfields:[CustomField] id:int "
        "linkto_table_id:int data_entry_type:int clear_on_close:bool primary_field_1:int "
        "primary_field_2:int fields:[FieldInfo] customextratableid:int can_load_data:bool "
        "customtable_orderby:int _isimport:bool key:int access_control:[AccessControl] "
        "access_control_level:int columns:int"
    ),
    "AreaField": "id:int client_id:int field_id:int",
    "OrganisationField": "id:int org_id:int field_id:int",
    "SqlLookupRequest": "db_params:[StringObjectDbTypeTuple] filookup:int",
    "StringObjectDbTypeTuple": "item3:int",
    "CustomFieldValueRestrictions": "id:int tickettype_id:int field_id:int value_id:int",
    "FieldGroup": (
        "id:int fields:[RequestTypeField] translations:[LanguagePackTranslationsCustom] "
        "access_control:[AccessControl] access_control_level:int tickettypes:[KeyPair2] "
        "outcomes:[KeyPair2] visibility_conditions:[CustomFieldVisibility] endusernew:int "
        "enduserdetail:int technew:int techdetail:int enduseraction:int techaction:int "
        "techdetailhideifempty:bool enduserdetailhideifempty:bool"
    ),
    "KeyPair2": "isnew:bool",
    "RequestTypeFieldRestriction": (
        "id:int tickettype_id:int field_id:int type:int role_id:int alloweditbeforeapproval:bool "
        "alloweditafterapproval:bool alloweditduringapproval:bool"
    ),
    "UserRoles": (
        "isimportantcontact2:bool id:int showmeonly:int ischangeapprover2:bool ispoapprover:bool "
        "web_access_level:int canadd:bool canviewopps:bool allowviewsitedocs:bool "
        "allowviewclientdocs:bool canviewcontracts:bool canaccesscatalog:bool cataloglevel:int "
        "canaccessinvoices:bool device_access_level:int is_integration:bool dontackemails2:bool "
        "departments:[UserDepartment] notifications:[UnameNotification]"
    ),
    "UserDepartment": (
        "id:int user_id:int department_id:int is_manager:bool is_azure_department:bool role_id:int"
    ),
    "UnameNotification": (
        "id:int agent_id:int type:int delivery_method:int sendpushnotification:bool eventno:int "
        "emailtemplate_id:int user_id:int slack_id:int interval:num useworkinghours:int "
        "restriction_type:int restriction_department_id:int restriction_team_id:int "
        "agents:[UnameNotificationLink] condition_count:int subscriber_count:int "
        "conditions:[NotificationConditions] _canupdate:bool teams_id:int value1:int "
        "_iszapier:bool filter_sitecontact:bool sitecontact_type:int "
        "roles:[UnameNotificationLink] mattermost_channelid:int rule_id:int "
        "user_roles:[UnameNotificationLink]"
    ),
    "UnameNotificationLink": "id:int agent_id:int notification_id:int user_role_id:int",
    "NotificationConditions": "id:int rule_id:int fieldid:int type:int value_int:int",
    "ExternalLink_List": (
        "id:int table_id:int module_id:int halo_id:int third_party_count:int primary:bool "
        "halo_second_id:int details_id:int _match:bool populate_url:bool _webhookaction:int "
        "revisions:int chat_message_count:int"
    ),
    "Site": (
        "id:int client_id:num inactive:bool sla_id:int invoice_address_isdelivery:bool "
        "isstocklocation:bool messagegroup_id:int item_quantity_in_stock:num "
        "item_serialised_assets_in_stock:num item_quantity_reserved:num "
        "item_quantity_reserved_on_order:num item_quantity_available:num text:num globx:num "
        "globy:num style:num inuseby:int upwho:num xrefsite:num zoffsetx:int zoffsety:int "
        "zoomx:num zoomy:num smallx:int smally:int bigx:int bigy:int deliverby:int "
        "isinvoicesite:bool refnumber:int defaultdelivery:bool seriousnesslevel:int geocoord1:num "
        "geocoord2:num defaultstocklocation:int stopped:int sitetimeoffset:int sitedateformat:int "
        "regionaldirector:int facilitiesmanager:int monthlyreportinclude:bool "
        "monthlyreportemailmanager:bool accountmanagertech:bool monthlyreportemaildirect:bool "
        "language_id:int linked_organisation_id:int slocked:bool newsite_web_access_level:int "
        "newsite_sendwelcomeemail:bool delivery_address:AddressStore invoice_address:AddressStore "
        "popup_notes:[AreaPopup] _reassign_all_to_user:int fields:[FieldHelper] "
        "open_ticket_count:int onhold_ticket_count:int total_ticket_count:int "
        "opened_thismonth_count:int sitecontacts:[SiteContact] _isimport:bool cautomateid:int "
        "ninjarmmid:int _isxero:bool isnhserveremaildefault:bool device42id:int "
        "datto_alternate_id:int connectwiseid:int autotaskid:int ateraid:int "
        "site_service_tax_code:int site_prepay_tax_code:int site_contract_tax_code:int "
        "site_sales_tax_code:int site_purchase_tax_code:int syncroid:int faqlists:[FAQListHead] "
        "all_faqlists_allowed:bool passportal_id:int import_site_mapping:int issitedetails:bool "
        "liongardid:int surchargeid:int region_code:int stockbins:[StockBin] "
        "ncentral_details_id:int new_external_link:ExternalLink_List import_details_id:int "
        "hasitemsinstock:bool _dont_fire_automations:bool sqlimport_id:int "
        "lapsafe_default_installation_obj:KeyPair2 external_links:[ExternalLink_List] "
        "customfields:[CustomField] site_fields:[FieldHelper] gfisiteid:int "
        "custombuttons:[CustomButton] stockbin_id:int maincontact_id:int site_item_tax_code:int"
    ),
    "AreaPopup": (
        "id:int client_id:int site_id:int user_id:int dismissable:bool read_status:int "
        "displaymodal:bool displayhtml:bool limitdaterange:bool"
    ),
    "SiteContact": "id:int site:int uid:int type:int",
    "StockBin": "id:int site_id:int dont_add_to_order:bool",
    "CategoryRestriction": (
        "id:int type:int client_id:int tickettype_id:int team_id:int service_id:int "
        "category_id:int partial_match_category:bool is_integration:bool"
    ),
    "ContractDetail": (
        "client_id:int seq:int type:int itil_requesttype:int requesttype:int priority:int "
        "chargerate_id:int multiplier:num plan_id:int plan_contract_id:int "
        "partialmatchcategory:bool partialmatchcategory2:bool partialmatchcategory3:bool "
        "partialmatchcategory4:bool user_covered_billingdescription:int site:int "
        "allowallcontracts:bool asset_covered_by_contract:bool user_covered_by_contract:bool "
        "work_hours_covered:int order:int contract_type:int contract_sub_type:int "
        "not_included_in_contract:bool"
    ),
    "ChargeRateArea": "id:int area:int chargerate_id:int",
    "AreaItem": (
        "id:int client_id:int item_id:int quantity:num billingperiod_id:int autorenew:bool "
        "costprice:num sellingprice:num numberdayswarning:int dsite:int ddevnum:int "
        "technician:int billingcategory_id:int site_id:int dontinvoice:bool"
    ),
    "PrepayHistory": (
        "id:int client_id:int hours:num amount:num expirychecked:bool client_to_invoice_to_id:int"
    ),
    "PrepayPeriod": (
        "id:int contract_id:int current:bool hours_added:num hours_expired:num "
        "hours_remaining:num hours_used_this_period:num amount_added:num amount_expired:num "
        "amount_remaining:num amount_used_this_period:num"
    ),
    "AreaNote": (
        "id:int client_id:int supplier_id:int sales_order_id:int purchase_order_id:int "
        "quote_id:int invoice_id:int site_id:int user_id:int who_agentid:int timetaken:num "
        "customfields:[CustomField] ticketid:int hide_time_taken:bool add_to_calendar:bool "
        "app_user_id:int app_agent_id:int nextcallduration:num"
    ),
    "ServiceRestriction": (
        "id:int service_category_id:int service_id:int data_id:int allow_access:bool"
    ),
    "ServiceUser": "id:int service_id:int data_id:int emailupdates:bool",
    "KBEntry_List": (
        "id:int view_count:int useful_count:int notuseful_count:int inactive:bool type:int "
        "customfields:[CustomField] editor_type:int search_score:num"
    ),
    "IntegrationFieldMapping": (
        "id:int fiid:int msid:int typeid:int isassetfield:bool subtypeid:int newrecords:bool "
        "sync:bool synctype:int product:int dontupdate:bool third_party_field_type:int "
        "populateemptyvalue:bool"
    ),
    "Tabname": (
        "id:int tableid:int columns:int sequence:int fields:[FieldInfo] linked_dashboard_id:int"
    ),
    "AreaAzureTenant": (
        "id:int details_id:int client_id:int licence_import_type:int relationship_type:int"
    ),
    "SnowLicenseAbstract": "id:int quantity:int isIncomplete:bool snowDevices:[SnowDevice]",
    "SnowDevice": (
        "id:int orgChecksum:int isVirtual:bool totalDiskSpace:int physicalMemory:int "
        "processorCount:int coreCount:int mostFrequentUserId:int mostRecentUserId:int "
        "hardware:SnowHardware numberOfProcessors:int coresPerProcessor:int physicalMemoryMb:int "
        "memorySlots:int memorySlotsAvailable:int systemDiskSpaceMb:int "
        "systemDiskSpaceAvailableMb:int totalDiskSpaceMb:int totalDiskSpaceAvailableMb:int"
    ),
    "SnowHardware": (
        "numberOfProcessors:int coresPerProcessor:int physicalMemoryMb:int memorySlots:int "
        "memorySlotsAvailable:int systemDiskSpaceMb:int systemDiskSpaceAvailableMb:int "
        "totalDiskSpaceMb:int totalDiskSpaceAvailableMb:int"
    ),
    "QuickBooksDetails": (
        "id:int authorized:bool _exchangecode:bool _disconnect:bool new_method:bool "
        "automatic_sales_tax:bool online_payments:bool default_tax_code_id:int "
        "default_tax_code:KeyPair2 zero_tax_rate_id:int zero_tax_rate:KeyPair2 "
        "client_top_level:int client_name_field:int inventory_item_group:int "
        "non_inventory_item_group:int service_item_group:int enable_sync:bool "
        "sync_entities_list:[KeyPair2] show_message:bool deactivate_customers:bool "
        "default_invoice_item:int default_order_item:int invoice_email_status:int "
        "supplier_top_level:int supplier_name_field:int default_order_account_id:int "
        "default_order_account:KeyPair2 order_email_status:int multi_currency:bool "
        "default_sales_account_id:int default_sales_account:KeyPair2 "
        "default_expense_account_id:int default_expense_account:KeyPair2 "
        "default_asset_account_id:int default_asset_account:KeyPair2 receive_client_created:bool "
        "receive_client_updated:bool receive_payment_created:bool receive_payment_updated:bool "
        "sync_halo_invoice_id:bool sync_invoice_class:bool sync_invoice_bill_address:bool "
        "sync_invoice_ship_address:bool use_qbo_invoice_terms:bool round_payments_to_2dp:bool "
        "default_deferred_code_id:int dont_post_item_quantities:bool "
        "default_deferred_account:KeyPair2"
    ),
}

# Schema name -> {field: kind}; a kind is a scalar of SCALARS, a schema name, or either in
# brackets for a list of them.
SCHEMAS: dict[str, dict[str, str]] = {
    name: dict(pair.split(":", 1) for pair in fields.split()) for name, fields in _RAW.items()
}
