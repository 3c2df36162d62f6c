Describe 'New-AibRoleAssignment' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $roleGuid = 'aaaaaaaa-0000-0000-0000-000000000001'
        $rgScope = "/subscriptions/$SubscriptionId/resourceGroups/rg"
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'scope_parse' } -MockWith {
            [pscustomobject]@{ scope = ([string]$Request.scope).TrimEnd('/') -replace '/resourcegroups/', '/resourceGroups/'; kind = 'ResourceGroup' }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.create' } -MockWith {
            [pscustomobject]@{
                id                 = "$($Request.scope)/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000001"
                name               = 'bbbbbbbb-0000-0000-0000-000000000001'
                scope              = $Request.scope
                roleDefinitionId   = "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000001"
                roleDefinitionName = 'Image Builder rg'
                principalId        = $Request.principalId
                principalType      = 'ServicePrincipal'
                description        = $null
                condition          = $null
                conditionVersion   = $null
                outcome            = 'Created'
            }
        }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when an identity object is piped in' {
        It 'binds its PrincipalId, not its resource Id' {
            $identity = [pscustomobject]@{
                PSTypeName  = 'AibPermissions.UserAssignedIdentity'
                Id          = "/subscriptions/$SubscriptionId/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aibIdentity"
                Name        = 'aibIdentity'
                PrincipalId = $PrincipalId
            }
            $null = $identity | New-AibRoleAssignment -RoleDefinitionId $roleGuid -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and $Request.principalId -eq $PrincipalId
            }
        }
    }

    Context 'when called by role name at a scope' {
        It 'sends the normalized scope, the role name and the principal type' {
            $null = New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'Reader' -Scope "/subscriptions/$SubscriptionId/resourcegroups/rg/" -ObjectType ServicePrincipal -Description 'for AIB'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and $Request.scope -eq $rgScope -and
                $Request.roleDefinitionName -eq 'Reader' -and $Request.principalType -eq 'ServicePrincipal' -and
                $Request.description -eq 'for AIB' -and -not $Request.Contains('roleDefinitionId')
            }
        }

        It 'returns the Az PSRoleAssignment shape' {
            $assignment = New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'Reader' -Scope $rgScope
            $assignment.PSObject.TypeNames | Should -Contain 'AibPermissions.RoleAssignment'
            foreach ($name in 'RoleAssignmentId', 'Scope', 'DisplayName', 'RoleDefinitionName', 'RoleDefinitionId', 'ObjectId', 'ObjectType', 'Description', 'Condition', 'ConditionVersion') {
                $assignment.PSObject.Properties.Name | Should -Contain $name
            }
            $assignment.RoleDefinitionId | Should -Be 'aaaaaaaa-0000-0000-0000-000000000001'
            $assignment.ObjectId | Should -Be $PrincipalId
            $assignment.Scope | Should -Be $rgScope
        }
    }

    Context 'when no scope is given' {
        It 'assigns at the subscription of the context' {
            Set-TestContext -SubscriptionId $SubscriptionId
            $null = New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'Reader'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and $Request.scope -eq "/subscriptions/$SubscriptionId"
            }
        }
    }

    Context 'when a condition is given without a version' {
        It 'sends condition version 2.0' {
            $null = New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionId $roleGuid -Scope $rgScope -Condition '@Resource[x] StringEquals y'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and $Request.conditionVersion -eq '2.0'
            }
        }
    }

    Context 'when the assignment already existed' {
        It 'returns it with a warning' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.create' } -MockWith {
                [pscustomobject]@{ id = 'x'; scope = $Request.scope; roleDefinitionId = 'r/aaaaaaaa-0000-0000-0000-000000000001'; principalId = $Request.principalId; outcome = 'Unchanged' }
            }
            $assignment = New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionId $roleGuid -Scope $rgScope -WarningVariable warnings -WarningAction SilentlyContinue
            $assignment | Should -Not -BeNullOrEmpty
            @($warnings).Count | Should -Be 1
        }
    }

    Context 'when -WhatIf is given' {
        It 'makes no ARM call' {
            New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionId $roleGuid -Scope $rgScope -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleAssignment.create' }
        }

        It 'still rejects an invalid GUID' {
            { New-AibRoleAssignment -ObjectId 'not-a-guid' -RoleDefinitionId $roleGuid -Scope $rgScope -WhatIf } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.ObjectId,New-AibRoleAssignment'
        }
    }

    Context 'when the input is wrong (<Case>)' -ForEach @(
        @{ Case = 'object id not a GUID'; Field = 'ObjectId'; Splat = @{ ObjectId = '1234'; RoleDefinitionName = 'Reader'; Scope = '/subscriptions/00000000-0000-0000-0000-0000000000aa' } }
        @{ Case = 'role id not a GUID'; Field = 'RoleDefinitionId'; Splat = @{ ObjectId = '11111111-2222-3333-4444-555555555555'; RoleDefinitionId = 'abc'; Scope = '/subscriptions/00000000-0000-0000-0000-0000000000aa' } }
        @{ Case = 'role id a foreign resource id'; Field = 'RoleDefinitionId'; Splat = @{ ObjectId = '11111111-2222-3333-4444-555555555555'; RoleDefinitionId = '/subscriptions/x/providers/Microsoft.Compute/images/aaaaaaaa-0000-0000-0000-000000000001'; Scope = '/subscriptions/00000000-0000-0000-0000-0000000000aa' } }
        @{ Case = 'empty role name'; Field = 'RoleDefinitionName'; Splat = @{ ObjectId = '11111111-2222-3333-4444-555555555555'; RoleDefinitionName = ''; Scope = '/subscriptions/00000000-0000-0000-0000-0000000000aa' } }
        @{ Case = 'unknown object type'; Field = 'ObjectType'; Splat = @{ ObjectId = '11111111-2222-3333-4444-555555555555'; RoleDefinitionName = 'Reader'; Scope = '/subscriptions/00000000-0000-0000-0000-0000000000aa'; ObjectType = 'Service Principal' } }
        @{ Case = 'version without condition'; Field = 'ConditionVersion'; Splat = @{ ObjectId = '11111111-2222-3333-4444-555555555555'; RoleDefinitionName = 'Reader'; Scope = '/subscriptions/00000000-0000-0000-0000-0000000000aa'; ConditionVersion = '2.0' } }
    ) {
        It 'fails with InvalidArgument naming <Field> and calls nothing' {
            $err = $null
            try { New-AibRoleAssignment @Splat } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Be "INVALID_ARGUMENT.$Field,New-AibRoleAssignment"
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when the scope is invalid' {
        It 'reports the library''s scope error and assigns nothing' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'scope_parse' } -MockWith {
                throw (New-TestNativeException -Target 'scope')
            }
            $err = $null
            try { New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'Reader' -Scope '/subscriptions/x/resourceGroups' } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.scope,New-AibRoleAssignment'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleAssignment.create' }
        }
    }

    Context 'when a resource is the scope' {
        It 'builds the resource id as Az does for a child resource' {
            $splat = @{
                ObjectId          = $PrincipalId
                RoleDefinitionId  = $roleGuid
                ResourceGroupName = 'rg'
                ResourceName      = 'build'
                ResourceType      = 'Microsoft.Network/virtualNetworks/subnets'
                ParentResource    = 'virtualNetworks/vnet'
                SubscriptionId    = $SubscriptionId
            }
            $null = New-AibRoleAssignment @splat
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and $Request.scope -eq "$rgScope/providers/Microsoft.Network/virtualNetworks/vnet/subnets/build"
            }
        }
    }

    Context 'when the principal type is left out' {
        It 'sends ServicePrincipal for an identity object piped in' {
            $identity = [pscustomobject]@{ PSTypeName = 'AibPermissions.UserAssignedIdentity'; Name = 'aibIdentity'; PrincipalId = $PrincipalId }
            $null = $identity | New-AibRoleAssignment -RoleDefinitionId $roleGuid -Scope $rgScope
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and $Request.principalType -eq 'ServicePrincipal'
            }
        }

        It 'sends no type for a bare object id' {
            $null = New-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionId $roleGuid -Scope $rgScope
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and -not $Request.Contains('principalType')
            }
        }
    }
}
