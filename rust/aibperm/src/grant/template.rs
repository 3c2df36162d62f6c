//! Requirements read from an Azure Image Builder image template.
//!
//! Accepted shapes: the `Microsoft.VirtualMachineImages/imageTemplates` resource (with
//! `identity` and `properties`), an ARM deployment template holding one in `resources`,
//! or the bare `properties` object.

use serde_json::Value;

use super::{Needs, Requirement, identity_scope};
use crate::arm::scope::Scope;
use crate::roles::Scenario;
use crate::{Error, Result};

const IMAGE_TEMPLATE_TYPE: &str = "Microsoft.VirtualMachineImages/imageTemplates";

/// What a template asks of its identity.
#[derive(Clone, Debug)]
pub struct TemplateNeeds {
    /// Ids of the user-assigned identities the template runs as (`identity`).
    pub identity_ids: Vec<String>,
    pub requirements: Vec<Requirement>,
}

/// Reads the identity, source, distribution targets, subnet, build-VM identities and
/// staging resource group of an image template.
///
/// # Errors
/// `InvalidArgument` naming the JSON path of a value that is missing or not a valid id
/// (placeholders such as `<subscriptionID>` included).
pub fn requirements(template: &Value) -> Result<TemplateNeeds> {
    let resource = image_template(template)?;
    let props = resource.get("properties").unwrap_or(resource);
    if !props.is_object() {
        return Err(Error::invalid_argument(
            "template.properties",
            "the image template's properties are not an object",
        ));
    }

    let identity_ids = resource
        .pointer("/identity/userAssignedIdentities")
        .and_then(Value::as_object)
        .map(|ids| ids.keys().cloned().collect())
        .unwrap_or_default();

    let mut needs = Needs::default();
    let mut image: Option<Scope> = None;
    let mut gallery: Option<Scope> = None;
    let mut extra = Vec::new();
    for (i, target) in array(props, "distribute").iter().enumerate() {
        let path = format!("properties.distribute[{i}]");
        match text(target, "type").to_ascii_lowercase().as_str() {
            "managedimage" => {
                let scope = group_of(target, "imageId", &path)?;
                push_distribution(
                    &mut image,
                    &mut extra,
                    Scenario::ManagedImageDistribution,
                    scope,
                );
            }
            "sharedimage" => {
                let scope = group_of(target, "galleryImageId", &path)?;
                push_distribution(
                    &mut gallery,
                    &mut extra,
                    Scenario::GalleryDistribution,
                    scope,
                );
            }
            _ => {}
        }
    }
    needs.distribution(image, gallery);
    for (scenario, scope) in extra {
        needs.push(scenario, scope);
    }

    if let Some(source) = props.get("source") {
        match text(source, "type").to_ascii_lowercase().as_str() {
            "managedimage" => needs.push(
                Scenario::ManagedImageSource,
                group_of(source, "imageId", "properties.source")?,
            ),
            "sharedimageversion" => needs.push(
                Scenario::GallerySource,
                group_of(source, "imageVersionId", "properties.source")?,
            ),
            _ => {}
        }
    }

    if let Some(profile) = props.get("vmProfile") {
        if let Some(subnet) = profile.pointer("/vnetConfig/subnetId") {
            let field = "properties.vmProfile.vnetConfig.subnetId";
            needs.push(Scenario::Networking, rg_scope(field, subnet)?);
        }
        for (i, id) in array(profile, "userAssignedIdentities").iter().enumerate() {
            let field = format!("properties.vmProfile.userAssignedIdentities[{i}]");
            let id = id
                .as_str()
                .ok_or_else(|| Error::invalid_argument(&field, "not a string"))?;
            needs.push(Scenario::BuildVmIdentity, identity_scope(&field, id)?);
        }
    }

    if let Some(staging) = props.get("stagingResourceGroup") {
        needs.push(
            Scenario::StagingResourceGroup,
            rg_scope("properties.stagingResourceGroup", staging)?,
        );
    }

    Ok(TemplateNeeds {
        identity_ids,
        requirements: needs.0,
    })
}

/// The first distribution target of a kind sets its group; other groups get their own role.
fn push_distribution(
    first: &mut Option<Scope>,
    extra: &mut Vec<(Scenario, Scope)>,
    scenario: Scenario,
    scope: Scope,
) {
    match first {
        None => *first = Some(scope),
        Some(existing) if existing.key() == scope.key() => {}
        Some(_) => extra.push((scenario, scope)),
    }
}

fn image_template(template: &Value) -> Result<&Value> {
    let Some(resources) = template.get("resources") else {
        return Ok(template);
    };
    let list: Vec<&Value> = match resources {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => map.values().collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .find(|r| text(r, "type").eq_ignore_ascii_case(IMAGE_TEMPLATE_TYPE))
        .ok_or_else(|| {
            Error::invalid_argument(
                "template.resources",
                format!("the deployment template holds no {IMAGE_TEMPLATE_TYPE} resource"),
            )
        })
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn group_of(value: &Value, key: &str, path: &str) -> Result<Scope> {
    let field = format!("{path}.{key}");
    match value.get(key) {
        Some(id) => rg_scope(&field, id),
        None => Err(Error::invalid_argument(
            &field,
            format!("{field} is missing"),
        )),
    }
}

/// The resource group a resource id (or resource group id) is in.
fn rg_scope(field: &str, id: &Value) -> Result<Scope> {
    let text = id
        .as_str()
        .ok_or_else(|| Error::invalid_argument(field, format!("{field} is not a string")))?;
    Scope::parse(field, text)?
        .resource_group_scope()
        .ok_or_else(|| {
            Error::invalid_argument(field, format!("'{text}' is not in a resource group"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SUB: &str = "00000000-0000-0000-0000-000000000001";

    fn names(needs: &TemplateNeeds) -> Vec<(String, String)> {
        needs
            .requirements
            .iter()
            .map(|r| (r.scenario.name().to_owned(), r.scope.as_str().to_owned()))
            .collect()
    }

    #[test]
    fn resource_template_yields_every_requirement() {
        let rg = |name: &str| format!("/subscriptions/{SUB}/resourceGroups/{name}");
        let template = json!({
            "type": "Microsoft.VirtualMachineImages/imageTemplates",
            "identity": { "type": "UserAssigned", "userAssignedIdentities": {
                format!("{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib", rg("rg-aib")): {}
            }},
            "properties": {
                "source": { "type": "ManagedImage", "imageId": format!("{}/providers/Microsoft.Compute/images/src", rg("rg-src")) },
                "distribute": [
                    { "type": "ManagedImage", "imageId": format!("{}/providers/Microsoft.Compute/images/out", rg("rg-img")), "runOutputName": "a" },
                    { "type": "SharedImage", "galleryImageId": format!("{}/providers/Microsoft.Compute/galleries/g/images/d", rg("rg-img")), "runOutputName": "b" },
                    { "type": "VHD", "runOutputName": "c" }
                ],
                "vmProfile": {
                    "vnetConfig": { "subnetId": format!("{}/providers/Microsoft.Network/virtualNetworks/v/subnets/s", rg("rg-net")) },
                    "userAssignedIdentities": [format!("{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/vm", rg("rg-aib"))]
                },
                "stagingResourceGroup": rg("rg-stage")
            }
        });
        let needs = requirements(&template).expect("template");
        assert_eq!(needs.identity_ids.len(), 1);
        let got: Vec<String> = names(&needs).into_iter().map(|(s, _)| s).collect();
        assert_eq!(
            got,
            [
                "ImageCreation",
                "ManagedImageSource",
                "Networking",
                "BuildVmIdentity",
                "StagingResourceGroup"
            ]
        );
        assert_eq!(names(&needs)[2].1, rg("rg-net"));
    }

    #[test]
    fn deployment_template_is_searched_for_the_image_template() {
        let template = json!({
            "resources": [
                { "type": "Microsoft.Storage/storageAccounts" },
                { "type": "microsoft.virtualmachineimages/imagetemplates", "properties": {
                    "source": { "type": "SharedImageVersion", "imageVersionId":
                        format!("/subscriptions/{SUB}/resourceGroups/rg-g/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0") },
                    "distribute": []
                }}
            ]
        });
        let got = names(&requirements(&template).expect("template"));
        assert_eq!(
            got,
            [(
                "GallerySource".to_owned(),
                format!("/subscriptions/{SUB}/resourceGroups/rg-g")
            )]
        );
    }

    #[test]
    fn placeholder_in_an_id_is_refused_with_its_path() {
        let template = json!({ "properties": { "distribute": [
            { "type": "ManagedImage", "imageId": "/subscriptions/<subscriptionID>/resourceGroups/<rgName>/providers/Microsoft.Compute/images/x" }
        ]}});
        let err = requirements(&template).expect_err("placeholder");
        assert_eq!(
            err.target.as_deref(),
            Some("properties.distribute[0].imageId")
        );
    }
}
