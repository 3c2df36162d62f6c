Describe 'Format views' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $long = 'x' * 60
        $guid = '11111111-2222-3333-4444-555555555555'
        $rgScope = "/subscriptions/$guid/resourceGroups/rg-with-a-rather-long-name-for-images"
        $samples = InModuleScope -ModuleName AibPermissions -Parameters @{ Long = $long; Guid = $guid; Scope = $rgScope } {
            param ($Long, $Guid, $Scope)
            @{
                'AibPermissions.UserAssignedIdentity' = ConvertTo-AibIdentityOutput -Identity ([pscustomobject]@{
                        id = "$Scope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$Long"; name = $Long; location = 'germanywestcentral'
                        resourceGroupName = $Long; type = 'Microsoft.ManagedIdentity/userAssignedIdentities'; tags = @{ env = 'test' }
                        tenantId = $Guid; principalId = $Guid; clientId = $Guid; subscriptionId = $Guid
                    })
                'AibPermissions.RoleDefinition'       = ConvertTo-AibRoleDefinitionOutput -Role ([pscustomobject]@{
                        id = "$Scope/providers/Microsoft.Authorization/roleDefinitions/$Guid"; name = $Guid; roleName = $Long; roleType = 'CustomRole'
                        description = 'd'; actions = @('Microsoft.Compute/images/read'); notActions = @(); dataActions = @(); notDataActions = @()
                        assignableScopes = @($Scope, $Scope); outcome = 'Created'
                    })
                'AibPermissions.RoleAssignment'       = ConvertTo-AibRoleAssignmentOutput -Assignment ([pscustomobject]@{
                        id = "$Scope/providers/Microsoft.Authorization/roleAssignments/$Guid"; scope = $Scope; displayName = $null
                        roleDefinitionName = $Long; roleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/$Guid"
                        principalId = $Guid; principalType = 'ServicePrincipal'; description = $null; condition = $null; conditionVersion = $null
                    })
                'AibPermissions.GrantResult'          = [pscustomobject]@{
                    PSTypeName = 'AibPermissions.GrantResult'; Action = 'Unchanged'; Kind = 'RoleAssignment'; Name = $Long; Scope = $Scope
                    Id = "$Scope/providers/Microsoft.Authorization/roleAssignments/$Guid"; Scenario = 'ImageCreation'; PrincipalId = $Guid
                }
            }
        }
        $columns = @{
            'AibPermissions.UserAssignedIdentity' = @('Name', 'ResourceGroupName', 'Location', 'PrincipalId', 'ClientId')
            'AibPermissions.RoleDefinition'       = @('Name', 'IsCustom', 'Id', 'AssignableScopes')
            'AibPermissions.RoleAssignment'       = @('RoleDefinitionName', 'Scope', 'ObjectId', 'ObjectType')
            'AibPermissions.GrantResult'          = @('Action', 'Kind', 'Name', 'Scope')
        }
    }

    Context 'when the module is imported' {
        It 'loads a table view and a list view for <_>' -ForEach @('AibPermissions.UserAssignedIdentity', 'AibPermissions.RoleDefinition', 'AibPermissions.RoleAssignment', 'AibPermissions.GrantResult') {
            $data = Get-FormatData -TypeName $_ -PowerShellVersion $PSVersionTable.PSVersion
            $data | Should -Not -BeNullOrEmpty
            $controls = @($data.FormatViewDefinition | ForEach-Object { $_.Control.GetType().Name })
            $controls | Should -Contain 'TableControl'
            $controls | Should -Contain 'ListControl'
        }
    }

    Context 'when an output object is formatted' {
        It 'carries its type name: <_>' -ForEach @('AibPermissions.UserAssignedIdentity', 'AibPermissions.RoleDefinition', 'AibPermissions.RoleAssignment', 'AibPermissions.GrantResult') {
            $samples[$_].PSObject.TypeNames[0] | Should -Be $_
        }

        # A 120-column console formats tables to 119 columns.
        It 'shows the columns people scan for <_> within 120 columns' -ForEach @('AibPermissions.UserAssignedIdentity', 'AibPermissions.RoleDefinition', 'AibPermissions.RoleAssignment', 'AibPermissions.GrantResult') {
            $text = $samples[$_] | Format-Table | Out-String -Width 119
            $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
            $header = $lines[0]
            foreach ($column in $columns[$_]) {
                $header | Should -Match "\b$column\b" -Because "the $column column must not be dropped at 120 columns"
            }
            foreach ($line in $lines) {
                $line.TrimEnd().Length | Should -BeLessOrEqual 120
            }
        }

        It 'shows every property with Format-List * for <_>' -ForEach @('AibPermissions.UserAssignedIdentity', 'AibPermissions.RoleDefinition', 'AibPermissions.RoleAssignment', 'AibPermissions.GrantResult') {
            $object = $samples[$_]
            $text = $object | Format-List -Property * | Out-String -Width 200
            foreach ($property in $object.PSObject.Properties.Name) {
                $text | Should -Match "(?m)^$property\s*:"
            }
        }

        It 'wraps a long scope in the assignment table instead of cutting it' {
            $text = $samples['AibPermissions.RoleAssignment'] | Format-Table | Out-String -Width 119
            $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
            $start = $lines[0].IndexOf('Scope')
            $scopeText = -join @($lines | Select-Object -Skip 2 | Where-Object { $_.Length -gt $start } | ForEach-Object { $_.Substring($start).Trim() })
            $scopeText | Should -Be $rgScope
        }
    }
}
