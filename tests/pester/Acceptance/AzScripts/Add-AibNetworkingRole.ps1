# An Az PowerShell script that lets an existing Image Builder identity join the build VM to
# an existing virtual network: the documented networking role, downloaded and patched, then
# created in one call and assigned in the next, with the principal type given up front.
param (
    [Parameter(Mandatory)]
    [string] $SubscriptionId,

    [Parameter(Mandatory)]
    [string] $IdentityResourceGroup,

    [Parameter(Mandatory)]
    [string] $IdentityName,

    [Parameter(Mandatory)]
    [string] $VnetResourceGroup
)
$ErrorActionPreference = 'Stop'

$stamp = Get-Date -UFormat '%s'
$networkRoleName = 'Image Builder network role ' + $stamp
$identity = Get-AzUserAssignedIdentity -ResourceGroupName $IdentityResourceGroup -Name $IdentityName

$sampleUrl = 'https://raw.githubusercontent.com/azure/azvmimagebuilder/master/solutions/12_Creating_AIB_Security_Roles/aibRoleNetworking.json'
$rolePath = Join-Path -Path (Get-Location) -ChildPath 'aibRoleNetworking.json'
Invoke-WebRequest -Uri $sampleUrl -OutFile $rolePath -UseBasicParsing

$text = Get-Content -Path $rolePath -Raw
$text = $text -replace '<subscriptionID>', $SubscriptionId
$text = $text -replace '<vnetRgName>', $VnetResourceGroup
$text = $text -replace 'Azure Image Builder Service Networking Role', $networkRoleName
Set-Content -Path $rolePath -Value $text

$role = New-AzRoleDefinition $rolePath
$vnetScope = "/subscriptions/$SubscriptionId/resourceGroups/$VnetResourceGroup"
New-AzRoleAssignment -ObjectId $identity.PrincipalId -RoleDefinitionId $role.Id -Scope $vnetScope -ObjectType 'ServicePrincipal' | Out-Null

Get-AzRoleAssignment -ObjectId $identity.PrincipalId -Scope $vnetScope |
    Where-Object { $_.RoleDefinitionName -eq $networkRoleName } |
    Select-Object -Property RoleDefinitionName, Scope, ObjectId
