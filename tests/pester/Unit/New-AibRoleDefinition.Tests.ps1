Describe 'New-AibRoleDefinition' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $scope = "/subscriptions/$SubscriptionId/resourceGroups/rg"
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_generate' } -MockWith {
            $name = 'Image Builder rg'
            if ($Request.Contains('roleName')) { $name = $Request.roleName }
            [pscustomobject]@{
                name             = 'aaaaaaaa-0000-0000-0000-000000000001'
                id               = "/subscriptions/$($Request.subscriptionId)/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000001"
                roleName         = $name
                description      = 'generated'
                roleType         = 'CustomRole'
                actions          = @('Microsoft.Compute/images/read')
                notActions       = @()
                dataActions      = @()
                notDataActions   = @()
                assignableScopes = @("/subscriptions/$($Request.subscriptionId)/resourceGroups/$($Request.resourceGroupName)")
            }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_file_parse' } -MockWith {
            [pscustomobject]@{ format = 'Flat'; role = [pscustomobject]@{ roleName = 'From file'; assignableScopes = @('/subscriptions/x') } }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.ensure' } -MockWith {
            $role = $Request.role
            [pscustomobject]@{
                name             = 'aaaaaaaa-0000-0000-0000-000000000001'
                id               = '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000001'
                roleName         = $role.roleName
                description      = 'd'
                roleType         = 'CustomRole'
                actions          = @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write')
                notActions       = @()
                dataActions      = @()
                notDataActions   = @()
                assignableScopes = @($role.assignableScopes)
                outcome          = 'Created'
            }
        }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when a scenario is given' {
        It 'generates offline, then ensures the generated role' {
            $null = New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $SubscriptionId -ResourceGroupName 'rg'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'role_generate' -and $Offline -and $Request.scenario -eq 'ImageCreation' -and $Request.resourceGroupName -eq 'rg'
            }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.ensure' -and $Request.role.roleName -eq 'Image Builder rg'
            }
        }

        It 'passes -RoleName to the generator' {
            $null = New-AibRoleDefinition -Scenario Networking -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -RoleName "Bob's role"
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'role_generate' -and $Request.roleName -eq "Bob's role"
            }
        }

        It 'returns the Az PSRoleDefinition shape with Action' {
            $role = New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $SubscriptionId -ResourceGroupName 'rg'
            $role.PSObject.TypeNames | Should -Contain 'AibPermissions.RoleDefinition'
            foreach ($name in 'Name', 'Id', 'IsCustom', 'Description', 'Actions', 'NotActions', 'DataActions', 'NotDataActions', 'AssignableScopes', 'Action') {
                $role.PSObject.Properties.Name | Should -Contain $name
            }
            $role.Name | Should -Be 'Image Builder rg'
            $role.Id | Should -Be 'aaaaaaaa-0000-0000-0000-000000000001'
            $role.IsCustom | Should -BeTrue
            $role.Action | Should -Be 'Created'
            $role.Actions | Should -Be @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write')
            $role.AssignableScopes | Should -Be @($scope)
        }
    }

    Context 'when -WhatIf is given' {
        It 'makes no ARM call' {
            New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.ensure' }
        }

        It 'still rejects an unknown scenario' {
            { New-AibRoleDefinition -Scenario 'ImageCreaton' -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -WhatIf } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.Scenario,New-AibRoleDefinition'
        }
    }

    Context 'when the input is wrong (<Case>)' -ForEach @(
        @{ Case = 'unknown scenario'; Field = 'Scenario'; Splat = @{ Scenario = 'Imaging'; ResourceGroupName = 'rg' } }
        @{ Case = 'empty role name'; Field = 'RoleName'; Splat = @{ Scenario = 'Networking'; ResourceGroupName = 'rg'; RoleName = '' } }
        @{ Case = 'blank role name'; Field = 'RoleName'; Splat = @{ Scenario = 'Networking'; ResourceGroupName = 'rg'; RoleName = '  ' } }
        @{ Case = 'subscription not a GUID'; Field = 'SubscriptionId'; Splat = @{ Scenario = 'Networking'; ResourceGroupName = 'rg'; SubscriptionId = 'abc' } }
    ) {
        It 'fails with InvalidArgument naming <Field> and calls nothing' {
            $splat = $Splat.Clone()
            if (-not $splat.ContainsKey('SubscriptionId')) { $splat.SubscriptionId = $SubscriptionId }
            $err = $null
            try { New-AibRoleDefinition @splat } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Be "INVALID_ARGUMENT.$Field,New-AibRoleDefinition"
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when the generator rejects the request' {
        It 'reports the library target and ensures nothing' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_generate' } -MockWith {
                throw (New-TestNativeException -Target 'resourceGroupName')
            }
            { New-AibRoleDefinition -Scenario Networking -SubscriptionId $SubscriptionId -ResourceGroupName 'bad/rg' } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.resourceGroupName,New-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.ensure' }
        }
    }

    Context 'when -InputFile is given' {
        It 'parses the file bytes offline and ensures the parsed role' {
            $file = Join-Path -Path $TestDrive -ChildPath 'role.json'
            Set-Content -LiteralPath $file -Value '{"Name":"From file"}'
            $null = New-AibRoleDefinition -InputFile $file
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'role_file_parse' -and $Offline -and $RequestBytes.Length -gt 0
            }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.ensure' -and $Request.role.roleName -eq 'From file'
            }
        }

        It 'fails with InvalidArgument naming InputFile when the file is missing' {
            { New-AibRoleDefinition -InputFile (Join-Path -Path $TestDrive -ChildPath 'none.json') } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.InputFile,New-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }

        It 'reports malformed JSON as InvalidArgument and ensures nothing' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_file_parse' } -MockWith {
                throw (New-TestNativeException -StatusName 'INVALID_JSON' -Status 102)
            }
            $file = Join-Path -Path $TestDrive -ChildPath 'bad.json'
            Set-Content -LiteralPath $file -Value '{ "Name": '
            $err = $null
            try { New-AibRoleDefinition -InputFile $file } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_JSON,New-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.ensure' }
        }
    }

    Context 'when -Role is given' {
        It 'checks it offline as a flat role file with the Az property names, then ensures the result' {
            $role = [pscustomobject]@{ Name = 'Custom'; Description = 'd'; Actions = @('Microsoft.Compute/images/read'); NotActions = @(); AssignableScopes = @($scope) }
            $null = New-AibRoleDefinition -Role $role
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                if ($Operation -ne 'role_file_parse') { return $false }
                $file = [System.Text.Encoding]::UTF8.GetString($RequestBytes) | ConvertFrom-Json
                $Offline -and $file.Name -eq 'Custom' -and
                @($file.Actions).Count -eq 1 -and @($file.AssignableScopes)[0] -eq $scope -and $RequestBytes[0] -ne 0xEF
            }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.ensure' -and $Request.role.roleName -eq 'From file'
            }
        }

        It 'rejects a role without a name' {
            $role = [pscustomobject]@{ Name = ''; AssignableScopes = @($scope) }
            { New-AibRoleDefinition -Role $role } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Name,New-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }

        It 'stops on an invalid action before any ARM call, even with -WhatIf' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_file_parse' } -MockWith {
                throw (New-TestNativeException -Target 'Actions[0]')
            }
            $role = [pscustomobject]@{ Name = 'Typo'; Actions = @('Microsoft.Insight/x/read'); AssignableScopes = @($scope) }
            $err = $null
            try { New-AibRoleDefinition -Role $role -WhatIf } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeExactly 'INVALID_ARGUMENT.Actions[0],New-AibRoleDefinition'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.ensure' }
        }
    }
}
