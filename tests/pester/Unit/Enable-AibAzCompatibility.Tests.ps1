BeforeDiscovery {
    # Az's parameter names each Az command is documented with, that its stand-in accepts.
    $azParameters = @(
        @{ AzName = 'New-AzUserAssignedIdentity'; Parameters = @('Name', 'ResourceGroupName', 'Location', 'SubscriptionId', 'Tag') }
        @{ AzName = 'Get-AzUserAssignedIdentity'; Parameters = @('Name', 'ResourceGroupName', 'SubscriptionId') }
        @{ AzName = 'Remove-AzUserAssignedIdentity'; Parameters = @('Name', 'ResourceGroupName', 'SubscriptionId') }
        @{ AzName = 'New-AzRoleDefinition'; Parameters = @('InputFile', 'Role') }
        @{ AzName = 'Get-AzRoleDefinition'; Parameters = @('Name', 'Id', 'Scope') }
        @{ AzName = 'Set-AzRoleDefinition'; Parameters = @('InputFile', 'Role') }
        @{ AzName = 'Remove-AzRoleDefinition'; Parameters = @('Id', 'Name', 'Scope') }
        @{ AzName = 'New-AzRoleAssignment'; Parameters = @('ObjectId', 'Id', 'PrincipalId', 'ObjectType', 'PrincipalType', 'RoleDefinitionName', 'RoleDefinitionId', 'Scope', 'ResourceGroupName', 'Description', 'Condition', 'ConditionVersion') }
        @{ AzName = 'Get-AzRoleAssignment'; Parameters = @('ObjectId', 'RoleDefinitionName', 'Scope', 'ResourceGroupName') }
        @{ AzName = 'Remove-AzRoleAssignment'; Parameters = @('ObjectId', 'RoleDefinitionName', 'Scope', 'ResourceGroupName') }
    )
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1') -Force
    $exported = @(Get-Command -Module AibPermissions | ForEach-Object { $_.Name })
    foreach ($entry in $azParameters) {
        $entry.AibName = $entry.AzName -replace '-Az', '-Aib'
        $entry.Missing = $exported -notcontains $entry.AibName
    }
}

Describe 'Enable-AibAzCompatibility' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $map = @(InModuleScope -ModuleName AibPermissions { Get-AibAzCommandMap })
        $exported = @(Get-Command -Module AibPermissions | ForEach-Object { $_.Name })
        $available = @($map | Where-Object { $exported -contains $_.AibName })

        function Remove-TestAlias {
            foreach ($entry in $map) {
                if (Get-Alias -Name $entry.AzName -Scope Global -ErrorAction SilentlyContinue) {
                    Remove-Item -LiteralPath "Alias:\$($entry.AzName)" -Force
                }
            }
        }
    }

    BeforeEach {
        Remove-TestAlias
    }

    AfterEach {
        Remove-TestAlias
        Get-Module -Name 'Az.Resources' | Remove-Module -Force
        Reset-TestSession
    }

    Context 'when no Az module is loaded' {
        It 'makes each Az name the module has a command for run that command' {
            $aliases = @(Enable-AibAzCompatibility -PassThru)
            @($aliases | ForEach-Object { $_.Name }) | Should -Be @($available | ForEach-Object { $_.AzName })
            foreach ($entry in $available) {
                (Get-Command -Name $entry.AzName).ResolvedCommand.Name | Should -Be $entry.AibName
            }
        }

        It 'makes no alias for a command the module does not have' {
            Enable-AibAzCompatibility
            foreach ($entry in @($map | Where-Object { $exported -notcontains $_.AibName })) {
                Get-Alias -Name $entry.AzName -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            }
        }

        It 'returns nothing without -PassThru' {
            Enable-AibAzCompatibility | Should -BeNullOrEmpty
            Get-Alias -Name 'New-AzRoleAssignment' -Scope Global | Should -Not -BeNullOrEmpty
        }

        It 'returns the existing aliases when run twice' {
            Enable-AibAzCompatibility
            @(Enable-AibAzCompatibility -PassThru).Count | Should -Be $available.Count
        }
    }

    Context 'when -WhatIf is given' {
        It 'makes no alias' {
            Enable-AibAzCompatibility -WhatIf
            foreach ($entry in $map) {
                Get-Alias -Name $entry.AzName -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            }
        }
    }

    Context 'when an Az module is loaded' {
        BeforeEach {
            New-Module -Name 'Az.Resources' -ScriptBlock { } | Import-Module -Global
        }

        It 'refuses with AzModulesLoaded and makes no alias' {
            { Enable-AibAzCompatibility } | Should -Throw -ErrorId 'AzModulesLoaded,Enable-AibAzCompatibility'
            Get-Alias -Name 'New-AzRoleAssignment' -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'reports the category ResourceExists naming the module' {
            $record = $null
            try { Enable-AibAzCompatibility } catch { $record = $_ }
            $record.CategoryInfo.Category | Should -Be 'ResourceExists'
            $record.TargetObject | Should -Be 'Az.Resources'
        }

        It 'makes the aliases with -Force' {
            @(Enable-AibAzCompatibility -Force -PassThru).Count | Should -Be $available.Count
            (Get-Command -Name 'New-AzRoleAssignment').ResolvedCommand.Name | Should -Be 'New-AibRoleAssignment'
        }
    }

    Context 'when an alias of an Az name points elsewhere' {
        BeforeEach {
            Set-Alias -Name 'New-AzRoleAssignment' -Value 'Get-Date' -Scope Global
        }

        It 'keeps it and reports AliasExists' {
            $errors = $null
            Enable-AibAzCompatibility -ErrorAction SilentlyContinue -ErrorVariable errors
            @($errors).Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'AliasExists,Enable-AibAzCompatibility'
            (Get-Alias -Name 'New-AzRoleAssignment' -Scope Global).Definition | Should -Be 'Get-Date'
            (Get-Alias -Name 'New-AzRoleDefinition' -Scope Global).Definition | Should -Be 'New-AibRoleDefinition'
        }

        It 'replaces it with -Force' {
            Enable-AibAzCompatibility -Force
            (Get-Alias -Name 'New-AzRoleAssignment' -Scope Global).Definition | Should -Be 'New-AibRoleAssignment'
        }
    }

    Context 'when a script calls New-AzRoleAssignment with Az parameters' {
        BeforeEach {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'scope_parse' } -MockWith {
                [pscustomobject]@{ scope = [string]$Request.scope; kind = 'ResourceGroup' }
            }
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.create' } -MockWith {
                [pscustomobject]@{
                    id               = "$($Request.scope)/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000001"
                    name             = 'bbbbbbbb-0000-0000-0000-000000000001'
                    scope            = $Request.scope
                    roleDefinitionId = "/subscriptions/$SubscriptionId/providers/Microsoft.Authorization/roleDefinitions/$($Request.roleDefinitionId)"
                    principalId      = $Request.principalId
                    principalType    = $Request.principalType
                    outcome          = 'Created'
                }
            }
            Enable-AibAzCompatibility
        }

        It 'sends the GUID role id, the principal and -PrincipalType as principalType' {
            $scope = "/subscriptions/$SubscriptionId/resourceGroups/rg"
            $roleGuid = 'aaaaaaaa-0000-0000-0000-000000000001'
            $assignment = New-AzRoleAssignment -ObjectId $PrincipalId -RoleDefinitionId $roleGuid -Scope $scope -PrincipalType ServicePrincipal
            $assignment.PSObject.TypeNames | Should -Contain 'AibPermissions.RoleAssignment'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.create' -and $Request.roleDefinitionId -eq $roleGuid -and
                $Request.principalId -eq $PrincipalId -and $Request.principalType -eq 'ServicePrincipal' -and $Request.scope -eq $scope
            }
        }

        It 'refuses -DefaultProfile instead of ignoring the context' {
            $scope = "/subscriptions/$SubscriptionId/resourceGroups/rg"
            { New-AzRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'Reader' -Scope $scope -DefaultProfile 'context' } |
                Should -Throw -ErrorId 'NamedParameterNotFound,New-AibRoleAssignment'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }
}

Describe 'Az parameter names of <AzName>' -Tag 'Unit' -ForEach $azParameters {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    It 'are accepted by <AibName>' -Skip:$Missing {
        $command = Get-Command -Name $AibName -Module AibPermissions
        $names = @($command.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
        foreach ($parameter in $Parameters) {
            $names | Should -Contain $parameter -Because "$AzName scripts pass -$parameter"
        }
    }
}

Describe 'New-AzRoleDefinition with a positional file' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    It 'binds the first argument to -InputFile, as Az does' {
        $command = Get-Command -Name 'New-AibRoleDefinition' -Module AibPermissions
        $command.Parameters['InputFile'].ParameterSets['InputFile'].Position | Should -Be 0
    }
}
