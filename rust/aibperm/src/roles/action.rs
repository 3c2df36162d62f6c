//! Action strings: their shape, the provider namespace, and ARM's wildcard matching.

use crate::{Error, Result};

/// Resource provider namespaces known to exist. An unknown namespace close to one of these
/// is taken for a typo; any other unknown namespace (a third-party provider) is accepted.
const KNOWN_NAMESPACES: &[&str] = &[
    "Microsoft.AAD",
    "microsoft.aadiam",
    "Microsoft.Addons",
    "Microsoft.ADHybridHealthService",
    "Microsoft.Advisor",
    "Microsoft.AlertsManagement",
    "Microsoft.AnalysisServices",
    "Microsoft.ApiCenter",
    "Microsoft.ApiManagement",
    "Microsoft.App",
    "Microsoft.AppConfiguration",
    "Microsoft.AppPlatform",
    "Microsoft.Attestation",
    "Microsoft.Authorization",
    "Microsoft.Automanage",
    "Microsoft.Automation",
    "Microsoft.AVS",
    "Microsoft.AzureActiveDirectory",
    "Microsoft.AzureArcData",
    "Microsoft.AzureStack",
    "Microsoft.AzureStackHCI",
    "Microsoft.BareMetalInfrastructure",
    "Microsoft.Batch",
    "Microsoft.BatchAI",
    "Microsoft.Billing",
    "Microsoft.BillingBenefits",
    "Microsoft.Blueprint",
    "Microsoft.BotService",
    "Microsoft.Cache",
    "Microsoft.Capacity",
    "Microsoft.Cdn",
    "Microsoft.CertificateRegistration",
    "Microsoft.ChangeAnalysis",
    "Microsoft.Chaos",
    "Microsoft.ClassicCompute",
    "Microsoft.ClassicNetwork",
    "Microsoft.ClassicStorage",
    "Microsoft.CloudShell",
    "Microsoft.CognitiveServices",
    "Microsoft.Commerce",
    "Microsoft.Communication",
    "Microsoft.Compute",
    "Microsoft.ConfidentialLedger",
    "Microsoft.Confluent",
    "Microsoft.ConnectedVMwarevSphere",
    "Microsoft.Consumption",
    "Microsoft.ContainerInstance",
    "Microsoft.ContainerRegistry",
    "Microsoft.ContainerService",
    "Microsoft.CostManagement",
    "Microsoft.CustomerLockbox",
    "Microsoft.CustomProviders",
    "Microsoft.Dashboard",
    "Microsoft.DataBox",
    "Microsoft.DataBoxEdge",
    "Microsoft.Databricks",
    "Microsoft.DataCatalog",
    "Microsoft.DataFactory",
    "Microsoft.DataLakeAnalytics",
    "Microsoft.DataLakeStore",
    "Microsoft.DataMigration",
    "Microsoft.DataProtection",
    "Microsoft.DataShare",
    "Microsoft.DBforMariaDB",
    "Microsoft.DBforMySQL",
    "Microsoft.DBforPostgreSQL",
    "Microsoft.DesktopVirtualization",
    "Microsoft.DevCenter",
    "Microsoft.Devices",
    "Microsoft.DeviceUpdate",
    "Microsoft.DevOpsInfrastructure",
    "Microsoft.DevTestLab",
    "Microsoft.DigitalTwins",
    "Microsoft.DocumentDB",
    "Microsoft.DomainRegistration",
    "Microsoft.EdgeOrder",
    "Microsoft.Elastic",
    "Microsoft.ElasticSan",
    "Microsoft.EventGrid",
    "Microsoft.EventHub",
    "Microsoft.ExtendedLocation",
    "Microsoft.Features",
    "Microsoft.GuestConfiguration",
    "Microsoft.HDInsight",
    "Microsoft.HealthcareApis",
    "Microsoft.HybridCompute",
    "Microsoft.HybridConnectivity",
    "Microsoft.HybridContainerService",
    "Microsoft.HybridNetwork",
    "Microsoft.ImportExport",
    "Microsoft.Insights",
    "Microsoft.IoTCentral",
    "Microsoft.KeyVault",
    "Microsoft.Kubernetes",
    "Microsoft.KubernetesConfiguration",
    "Microsoft.Kusto",
    "Microsoft.LabServices",
    "Microsoft.LoadTestService",
    "Microsoft.Logic",
    "Microsoft.MachineLearningServices",
    "Microsoft.Maintenance",
    "Microsoft.ManagedIdentity",
    "Microsoft.ManagedServices",
    "Microsoft.Management",
    "Microsoft.Maps",
    "Microsoft.Marketplace",
    "Microsoft.MarketplaceOrdering",
    "Microsoft.Media",
    "Microsoft.Migrate",
    "Microsoft.MixedReality",
    "Microsoft.MobileNetwork",
    "Microsoft.Monitor",
    "Microsoft.NetApp",
    "Microsoft.Network",
    "Microsoft.NetworkCloud",
    "Microsoft.NetworkFunction",
    "Microsoft.NotificationHubs",
    "Microsoft.OffAzure",
    "Microsoft.OperationalInsights",
    "Microsoft.OperationsManagement",
    "Microsoft.Orbital",
    "Microsoft.Peering",
    "Microsoft.PolicyInsights",
    "Microsoft.Portal",
    "Microsoft.PowerBI",
    "Microsoft.PowerBIDedicated",
    "Microsoft.PowerPlatform",
    "Microsoft.Purview",
    "Microsoft.Quantum",
    "Microsoft.Quota",
    "Microsoft.RecoveryServices",
    "Microsoft.RedHatOpenShift",
    "Microsoft.Relay",
    "Microsoft.ResourceConnector",
    "Microsoft.ResourceGraph",
    "Microsoft.ResourceHealth",
    "Microsoft.Resources",
    "Microsoft.SaaS",
    "Microsoft.Scheduler",
    "Microsoft.ScVmm",
    "Microsoft.Search",
    "Microsoft.Security",
    "Microsoft.SecurityInsights",
    "Microsoft.SerialConsole",
    "Microsoft.ServiceBus",
    "Microsoft.ServiceFabric",
    "Microsoft.ServiceLinker",
    "Microsoft.ServiceNetworking",
    "Microsoft.SignalRService",
    "Microsoft.Solutions",
    "Microsoft.Sql",
    "Microsoft.SqlVirtualMachine",
    "Microsoft.Storage",
    "Microsoft.StorageCache",
    "Microsoft.StorageMover",
    "Microsoft.StoragePool",
    "Microsoft.StorageSync",
    "Microsoft.StreamAnalytics",
    "Microsoft.Subscription",
    "Microsoft.Support",
    "Microsoft.Synapse",
    "Microsoft.VideoIndexer",
    "Microsoft.VirtualMachineImages",
    "Microsoft.VMware",
    "Microsoft.Web",
    "Microsoft.WindowsIoT",
    "Microsoft.Workloads",
];

/// The verbs an operation ends in.
const VERBS: [&str; 4] = ["read", "write", "delete", "action"];

/// Checks the shape of an action or data action: `*`, or `{namespace}/{...}/{verb}` with
/// `verb` one of read, write, delete, action, and `*` wildcards anywhere. Errors are
/// `InvalidArgument` with `target` = `field`; a namespace one or two edits away from a known
/// one is refused with the suggestion ("did you mean Microsoft.Insights?").
pub fn validate_action(field: &str, action: &str) -> Result<()> {
    check_shape(action)
        .map_err(|why| Error::invalid_argument(field, format!("invalid action '{action}': {why}")))
}

fn check_shape(action: &str) -> std::result::Result<(), String> {
    if action.is_empty() {
        return Err("the action is empty".into());
    }
    if action == "*" {
        return Ok(());
    }
    if let Some(c) = action.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "contains the character {c:?}; actions have no spaces"
        ));
    }
    let segments: Vec<&str> = action.split('/').collect();
    if let Some(pos) = segments.iter().position(|s| s.is_empty()) {
        return Err(format!("segment {} is empty", pos + 1));
    }
    if let Some(seg) = segments.iter().find(|s| {
        !s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '*'))
    }) {
        return Err(format!(
            "segment '{seg}' may hold only letters, digits, '.', '-', '_' and '*'"
        ));
    }
    if segments.len() < 2 {
        return Err(
            "expected '{namespace}/{resource type}/{operation}', such as \
                    'Microsoft.Compute/images/read'"
                .into(),
        );
    }
    let namespace = segments[0];
    if !namespace.contains('*') {
        let words_ok = namespace.split('.').all(|w| !w.is_empty());
        if !words_ok || !namespace.contains('.') {
            return Err(format!(
                "'{namespace}' is not a resource provider namespace (such as 'Microsoft.Compute')"
            ));
        }
        if let Some(known) = suggest_namespace(namespace) {
            return Err(format!(
                "unknown resource provider namespace '{namespace}'; did you mean {known}?"
            ));
        }
    }
    let last = segments[segments.len() - 1];
    if !last.contains('*') && !VERBS.iter().any(|v| v.eq_ignore_ascii_case(last)) {
        return Err(format!(
            "the operation must end in read, write, delete, action or '*', not '{last}'"
        ));
    }
    Ok(())
}

/// The known namespace an unknown one is probably a typo of.
fn suggest_namespace(namespace: &str) -> Option<&'static str> {
    let lower = namespace.to_ascii_lowercase();
    if KNOWN_NAMESPACES
        .iter()
        .any(|k| k.eq_ignore_ascii_case(namespace))
    {
        return None;
    }
    // Singular for plural and back ("Microsoft.ManagedIdentities") is a typo at any length.
    if let Some(known) = KNOWN_NAMESPACES
        .iter()
        .find(|k| singular(&k.to_ascii_lowercase()) == singular(&lower))
    {
        return Some(known);
    }
    // Short names get one edit of slack, longer ones two: "Microsoft.App" and
    // "Microsoft.AAD" are both real.
    let tail = lower.rsplit('.').next().map_or(0, str::len);
    let allowed = if tail >= 6 { 2 } else { 1 };
    KNOWN_NAMESPACES
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A lower-case namespace with a plural ending made singular ("ies" to "y", "s" dropped).
fn singular(namespace: &str) -> String {
    if let Some(stem) = namespace.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        namespace.strip_suffix('s').unwrap_or(namespace).to_owned()
    }
}

/// Levenshtein distance over bytes (namespaces are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// True when `action` is granted by `pattern` under ARM's rules: case-insensitive, and each
/// `*` stands for any run of characters, `/` included (`*/read` matches
/// `Microsoft.Compute/images/read`; `Microsoft.Authorization/*/Delete` matches
/// `Microsoft.Authorization/roleAssignments/delete`).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let p = pattern.as_bytes();
    let a = action.as_bytes();
    let (mut pi, mut ai) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ai < a.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ai));
            pi += 1;
        } else if pi < p.len() && p[pi].eq_ignore_ascii_case(&a[ai]) {
            pi += 1;
            ai += 1;
        } else if let Some((sp, sa)) = star {
            pi = sp + 1;
            ai = sa + 1;
            star = Some((sp, sa + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(action: &str) -> Error {
        match validate_action("Actions[0]", action) {
            Ok(()) => panic!("'{action}' should be rejected"),
            Err(e) => e,
        }
    }

    #[test]
    fn documented_action_shapes_are_accepted() {
        for ok in [
            "*",
            "*/read",
            "*/write",
            "Microsoft.Compute/*",
            "Microsoft.Compute/*/read",
            "Microsoft.Compute/galleries/images/versions/write",
            "Microsoft.Network/virtualNetworks/subnets/join/action",
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Insights/alertRules/*",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "microsoft.compute/images/READ",
            "Microsoft.Cost*/*",
            "Datadog.Monitor/monitors/read",
            "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
        ] {
            validate_action("Actions[0]", ok)
                .unwrap_or_else(|e| panic!("'{ok}' should be accepted: {}", e.message));
        }
    }

    #[test]
    fn typo_in_insights_namespace_suggests_the_known_one() {
        let e = rejected("Microsoft.Insight/alertRules/*");
        assert_eq!(e.kind, crate::ErrorKind::InvalidArgument);
        assert_eq!(e.target.as_deref(), Some("Actions[0]"));
        assert!(
            e.message.contains("did you mean Microsoft.Insights?"),
            "{}",
            e.message
        );
    }

    #[test]
    fn typos_in_other_namespaces_are_caught() {
        for (typo, known) in [
            ("Microsoft.Compue/images/read", "Microsoft.Compute"),
            ("Microsft.Network/virtualNetworks/read", "Microsoft.Network"),
            (
                "Microsoft.ManagedIdentiy/userAssignedIdentities/read",
                "Microsoft.ManagedIdentity",
            ),
            ("Microsoft.Storge/storageAccounts/read", "Microsoft.Storage"),
        ] {
            let e = rejected(typo);
            assert!(
                e.message.contains(&format!("did you mean {known}?")),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn unknown_far_namespaces_are_accepted_as_third_party() {
        assert!(validate_action("Actions[0]", "Contoso.Widgets/gadgets/read").is_ok());
        assert!(validate_action("Actions[0]", "Microsoft.BrandNewService/things/read").is_ok());
    }

    #[test]
    fn malformed_actions_are_rejected() {
        for bad in [
            "",
            "Microsoft.Compute",
            "Microsoft.Compute//read",
            "Microsoft.Compute/images/read/",
            "/Microsoft.Compute/images/read",
            "Microsoft.Compute/images /read",
            "Microsoft.Compute/images/read\n",
            "Microsoft.Compute/images",
            "Compute/images/read",
            "Microsoft..Compute/images/read",
            "Microsoft.Compute/im@ges/read",
        ] {
            let e = rejected(bad);
            assert_eq!(e.target.as_deref(), Some("Actions[0]"), "{bad}");
            assert!(e.message.contains("invalid action"), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn wildcards_match_as_arm_does() {
        assert!(action_matches("*", "Microsoft.Compute/images/read"));
        assert!(action_matches("*/read", "Microsoft.Compute/images/read"));
        assert!(!action_matches("*/read", "Microsoft.Compute/images/write"));
        assert!(action_matches(
            "Microsoft.Compute/*",
            "microsoft.compute/galleries/images/read"
        ));
        assert!(!action_matches(
            "Microsoft.Compute/*",
            "Microsoft.ComputeSchedule/x/read"
        ));
        assert!(action_matches(
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/roleAssignments/delete"
        ));
        assert!(!action_matches(
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/roleAssignments/write"
        ));
        assert!(action_matches(
            "Microsoft.Compute/images/read",
            "MICROSOFT.COMPUTE/IMAGES/READ"
        ));
        assert!(!action_matches(
            "Microsoft.Compute/images/read",
            "Microsoft.Compute/images/readx"
        ));
        assert!(!action_matches(
            "Microsoft.Compute/images",
            "Microsoft.Compute/images/read"
        ));
        assert!(action_matches(
            "Microsoft.Cost*/*",
            "Microsoft.CostManagement/query/action"
        ));
    }

    #[test]
    fn known_namespaces_are_all_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for ns in KNOWN_NAMESPACES {
            assert!(seen.insert(ns.to_ascii_lowercase()), "duplicate {ns}");
            let action = format!("{ns}/things/read");
            assert!(validate_action("a", &action).is_ok(), "{ns}");
        }
    }
}
