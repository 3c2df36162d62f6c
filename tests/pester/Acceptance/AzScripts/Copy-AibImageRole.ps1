# An Az PowerShell script that derives a custom role from an existing one, the way the Azure
# custom role documentation shows: read the role, clear its id, rename it, add an action,
# point its assignable scopes at another resource group, create it; then widen the original
# role in place with Set-AzRoleDefinition.
param (
    [Parameter(Mandatory)]
    [string] $SubscriptionId,

    [Parameter(Mandatory)]
    [string] $SourceRoleName,

    [Parameter(Mandatory)]
    [string] $SourceResourceGroup,

    [Parameter(Mandatory)]
    [string] $TargetRoleName,

    [Parameter(Mandatory)]
    [string] $TargetResourceGroup
)
$ErrorActionPreference = 'Stop'

$sourceScope = "/subscriptions/$SubscriptionId/resourceGroups/$SourceResourceGroup"
$role = Get-AzRoleDefinition -Name $SourceRoleName -Scope $sourceScope
$role.Id = $null
$role.Name = $TargetRoleName
$role.Description = 'Image Builder distribution to a second resource group'
$role.Actions.Add('Microsoft.Compute/snapshots/read')
$role.AssignableScopes.Clear()
$role.AssignableScopes.Add("/subscriptions/$SubscriptionId/resourceGroups/$TargetResourceGroup")
New-AzRoleDefinition -Role $role | Out-Null

$original = Get-AzRoleDefinition $SourceRoleName -Scope $sourceScope
$original.Actions.Add('Microsoft.Compute/disks/read')
Set-AzRoleDefinition -Role $original | Out-Null

Get-AzRoleDefinition -Name $TargetRoleName -Scope "/subscriptions/$SubscriptionId/resourceGroups/$TargetResourceGroup"
