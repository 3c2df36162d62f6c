# An Az PowerShell clean-up script for an Image Builder identity and its custom role: remove
# the assignment, then the role by name (without its prompt), then the identity.
param (
    [Parameter(Mandatory)]
    [string] $SubscriptionId,

    [Parameter(Mandatory)]
    [string] $ImageResourceGroup,

    [Parameter(Mandatory)]
    [string] $IdentityName,

    [Parameter(Mandatory)]
    [string] $RoleName
)
$ErrorActionPreference = 'Stop'

$scope = "/subscriptions/$SubscriptionId/resourceGroups/$ImageResourceGroup"
$principalId = (Get-AzUserAssignedIdentity -ResourceGroupName $ImageResourceGroup -Name $IdentityName).PrincipalId

Remove-AzRoleAssignment -ObjectId $principalId -RoleDefinitionName $RoleName -Scope $scope
Remove-AzRoleDefinition -Name $RoleName -Scope $scope -Force
Remove-AzUserAssignedIdentity -ResourceGroupName $ImageResourceGroup -Name $IdentityName

if (Get-AzRoleDefinition -Name $RoleName -Scope $scope) {
    throw "role $RoleName is still there"
}
Write-Output "Removed $RoleName and $IdentityName"
