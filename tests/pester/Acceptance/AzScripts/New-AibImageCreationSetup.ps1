# An Az PowerShell script in the shape the Azure VM Image Builder documentation teaches:
# create the identity, download the sample role file, patch its placeholders and give the
# role a timestamped name, create the role from the file, assign it to the identity by name.
# It returns the names it chose so the caller can clean up.
param (
    [Parameter(Mandatory)]
    [string] $SubscriptionId,

    [Parameter(Mandatory)]
    [string] $ImageResourceGroup,

    [Parameter(Mandatory)]
    [string] $Location
)
$ErrorActionPreference = 'Stop'

# Role names are unique in the directory: a timestamp keeps a second run from clashing.
$stamp = Get-Date -UFormat '%s'
$roleName = 'Image Builder image role ' + $stamp
$identityName = 'aibBuilder' + $stamp

New-AzUserAssignedIdentity -ResourceGroupName $ImageResourceGroup -Name $identityName -Location $Location | Out-Null
$identityId = (Get-AzUserAssignedIdentity -ResourceGroupName $ImageResourceGroup -Name $identityName).Id
$principalId = (Get-AzUserAssignedIdentity -ResourceGroupName $ImageResourceGroup -Name $identityName).PrincipalId

$sampleUrl = 'https://raw.githubusercontent.com/azure/azvmimagebuilder/master/solutions/12_Creating_AIB_Security_Roles/aibRoleImageCreation.json'
$rolePath = 'aibRoleImageCreation.json'
Invoke-WebRequest -Uri $sampleUrl -OutFile $rolePath -UseBasicParsing

((Get-Content -Path $rolePath -Raw) -replace '<subscriptionID>', $SubscriptionId) | Set-Content -Path $rolePath
((Get-Content -Path $rolePath -Raw) -replace '<rgName>', $ImageResourceGroup) | Set-Content -Path $rolePath
((Get-Content -Path $rolePath -Raw) -replace 'Azure Image Builder Service Image Creation Role', $roleName) | Set-Content -Path $rolePath

$role = New-AzRoleDefinition -InputFile ./aibRoleImageCreation.json
Write-Output "Created role $($role.Name) ($($role.Id))"

$assignment = New-AzRoleAssignment -ObjectId $principalId -RoleDefinitionName $roleName -Scope "/subscriptions/$SubscriptionId/resourceGroups/$ImageResourceGroup"
Write-Output "Assigned $($assignment.RoleDefinitionName) to $($assignment.ObjectId) at $($assignment.Scope)"

[pscustomobject]@{
    IdentityName = $identityName
    IdentityId   = $identityId
    PrincipalId  = $principalId
    RoleName     = $roleName
}
