Describe 'Get-AibRoleAssignment' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $readerGuid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
        $customGuid = 'aaaaaaaa-0000-0000-0000-000000000001'
        $subScope = "/subscriptions/$SubscriptionId"
        $rgScope = "$subScope/resourceGroups/rg"
        function New-TestAssignmentJson {
            param ($Scope, $RoleGuid, $Name)
            [pscustomobject]@{
                id = "$Scope/providers/Microsoft.Authorization/roleAssignments/$Name"; name = $Name; scope = $Scope
                roleDefinitionId = "$subScope/providers/Microsoft.Authorization/roleDefinitions/$RoleGuid"
                principalId = $PrincipalId; principalType = 'ServicePrincipal'; description = $null; condition = $null; conditionVersion = $null; outcome = 'Found'
            }
        }
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'scope_parse' } -MockWith {
            [pscustomobject]@{ scope = ([string]$Request.scope).TrimEnd('/') -replace '/resourcegroups/', '/resourceGroups/' }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.list' } -MockWith {
            [pscustomobject]@{ value = @(
                    (New-TestAssignmentJson -Scope $subScope -RoleGuid $readerGuid -Name 'bbbbbbbb-0000-0000-0000-000000000001'),
                    (New-TestAssignmentJson -Scope $rgScope -RoleGuid $customGuid -Name 'bbbbbbbb-0000-0000-0000-000000000002')
                ) }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.get' } -MockWith {
            $roleName = 'Image role'
            if ($Request.name -eq $readerGuid) { $roleName = 'Reader' }
            [pscustomobject]@{ name = $Request.name; roleName = $roleName }
        }
        Set-TestContext -SubscriptionId $SubscriptionId
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when a resource group is given' {
        It 'asks for what applies at the group: at it and above' {
            $null = Get-AibRoleAssignment -ResourceGroupName 'rg'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.list' -and $Request.scope -eq $rgScope -and $Request.atScope -eq $true
            }
        }

        It 'fills in role names, reading each role once' {
            $result = @(Get-AibRoleAssignment -ResourceGroupName 'rg')
            $result.RoleDefinitionName | Should -Be @('Reader', 'Image role')
            $result[0].PSObject.TypeNames | Should -Contain 'AibPermissions.RoleAssignment'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 2 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.get' }
        }
    }

    Context 'when no scope is given' {
        It 'lists the whole context subscription' {
            $null = Get-AibRoleAssignment
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.list' -and $Request.scope -eq $subScope -and $Request.atScope -eq $false
            }
        }
    }

    Context 'when a resource is given' {
        It 'builds the resource scope as Az does for a child resource' {
            $null = Get-AibRoleAssignment -ResourceGroupName 'rg' -ResourceName 'build' -ResourceType 'Microsoft.Network/virtualNetworks/subnets' -ParentResource 'virtualNetworks/vnet'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.list' -and $Request.scope -eq "$rgScope/providers/Microsoft.Network/virtualNetworks/vnet/subnets/build"
            }
        }

        It 'builds the resource scope of a top-level resource' {
            $null = Get-AibRoleAssignment -ResourceGroupName 'rg' -ResourceName 'gallery1' -ResourceType 'Microsoft.Compute/galleries'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.list' -and $Request.scope -eq "$rgScope/providers/Microsoft.Compute/galleries/gallery1"
            }
        }
    }

    Context 'when filtering by role' {
        It 'keeps the role named, ignoring case' {
            @(Get-AibRoleAssignment -ResourceGroupName 'rg' -RoleDefinitionName 'READER').RoleDefinitionId | Should -Be @($readerGuid)
        }

        It 'keeps the role whose full id is given' {
            @(Get-AibRoleAssignment -ResourceGroupName 'rg' -RoleDefinitionId "$subScope/providers/Microsoft.Authorization/roleDefinitions/$customGuid").RoleDefinitionId | Should -Be @($customGuid)
        }
    }

    Context 'when an identity object is piped in' {
        It 'binds its PrincipalId, not its resource Id' {
            $identity = [pscustomobject]@{
                PSTypeName        = 'AibPermissions.UserAssignedIdentity'
                Id                = "$rgScope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aibIdentity"
                Name              = 'aibIdentity'
                ResourceGroupName = 'other'
                PrincipalId       = $PrincipalId
            }
            $null = $identity | Get-AibRoleAssignment
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.list' -and $Request.principalId -eq $PrincipalId -and $Request.scope -eq $subScope
            }
        }
    }

    Context 'when the input is wrong' {
        It 'rejects an object id that is no GUID and calls nothing' {
            { Get-AibRoleAssignment -ObjectId 'abc' } | Should -Throw -ErrorId 'INVALID_ARGUMENT.ObjectId,Get-AibRoleAssignment'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }

        It 'rejects a resource name without a resource type' {
            { Get-AibRoleAssignment -ResourceGroupName 'rg' -ResourceName 'x' } | Should -Throw -ErrorId 'INVALID_ARGUMENT.ResourceType,Get-AibRoleAssignment'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }

        It 'rejects a resource type without a namespace' {
            { Get-AibRoleAssignment -ResourceGroupName 'rg' -ResourceName 'x' -ResourceType 'galleries' } | Should -Throw -ErrorId 'INVALID_ARGUMENT.ResourceType,Get-AibRoleAssignment'
        }
    }
}
