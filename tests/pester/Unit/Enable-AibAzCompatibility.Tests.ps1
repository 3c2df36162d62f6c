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

        function Remove-TestAzName {
            foreach ($entry in $map) {
                if (Get-Alias -Name $entry.AzName -Scope Global -ErrorAction Ignore) {
                    Remove-Item -Path "Alias:\$($entry.AzName)" -Force
                }
                if (Test-Path -Path "Function:\$($entry.AzName)") {
                    Remove-Item -Path "Function:\$($entry.AzName)" -Force
                }
            }
        }

        function Get-TestTarget {
            # The Aib command an Az name runs: through an alias, or wrapped by a stand-in function.
            param ([string] $AzName)
            $command = Get-Command -Name $AzName -ErrorAction Ignore
            if ($null -eq $command) { return $null }
            if ($command.CommandType -eq 'Alias') { return $command.ResolvedCommand.Name }
            if ($command.Definition -match "GetCommand\('([^']+)'") { return $Matches[1] }
            [string]$command.CommandType
        }
    }

    BeforeEach {
        Remove-TestAzName
    }

    AfterEach {
        Remove-TestAzName
        Get-Module -Name 'Az.Resources' | Remove-Module -Force
        Reset-TestSession
    }

    Context 'when no Az module is loaded' {
        It 'makes each Az name the module has a command for run that command' {
            $enabled = @(Enable-AibAzCompatibility -PassThru)
            @($enabled | ForEach-Object { $_.Name }) | Should -Be @($available | ForEach-Object { $_.AzName })
            @($enabled | ForEach-Object { $_.Target }) | Should -Be @($available | ForEach-Object { $_.AibName })
            foreach ($entry in $available) {
                Get-TestTarget -AzName $entry.AzName | Should -Be $entry.AibName
            }
        }

        It 'uses aliases, and functions only where Az does not ask for confirmation' {
            $enabled = @(Enable-AibAzCompatibility -PassThru)
            foreach ($item in $enabled) {
                $expected = 'Alias'
                if ($item.Name -in 'Remove-AzRoleAssignment', 'Remove-AzUserAssignedIdentity') { $expected = 'Function' }
                $item.Kind | Should -Be $expected -Because $item.Name
                (Get-Command -Name $item.Name).CommandType | Should -Be $expected
            }
        }

        It 'makes no Az name for a command the module does not have' {
            Enable-AibAzCompatibility
            foreach ($entry in @($map | Where-Object { $exported -notcontains $_.AibName })) {
                Get-Command -Name $entry.AzName -ErrorAction Ignore | Should -BeNullOrEmpty
            }
        }

        It 'returns nothing without -PassThru' {
            Enable-AibAzCompatibility | Should -BeNullOrEmpty
            Get-Alias -Name 'New-AzRoleAssignment' -Scope Global | Should -Not -BeNullOrEmpty
        }

        It 'returns the same list when run twice, without errors' {
            Enable-AibAzCompatibility
            $errors = $null
            @(Enable-AibAzCompatibility -PassThru -ErrorVariable errors).Count | Should -Be $available.Count
            @($errors).Count | Should -Be 0
        }
    }

    Context 'when -WhatIf is given' {
        It 'enables no Az name' {
            Enable-AibAzCompatibility -WhatIf
            foreach ($entry in $map) {
                Get-Command -Name $entry.AzName -ErrorAction Ignore | Should -BeNullOrEmpty
            }
        }
    }

    Context 'when an Az module is loaded' {
        BeforeEach {
            New-Module -Name 'Az.Resources' -ScriptBlock { } | Import-Module -Global
        }

        It 'refuses with AzModulesLoaded and enables nothing' {
            { Enable-AibAzCompatibility } | Should -Throw -ErrorId 'AzModulesLoaded,Enable-AibAzCompatibility'
            Get-Command -Name 'New-AzRoleAssignment' -ErrorAction Ignore | Should -BeNullOrEmpty
        }

        It 'reports the category ResourceExists naming the module' {
            $record = $null
            try { Enable-AibAzCompatibility } catch { $record = $_ }
            $record.CategoryInfo.Category | Should -Be 'ResourceExists'
            $record.TargetObject | Should -Be 'Az.Resources'
        }

        It 'enables the Az names with -Force' {
            @(Enable-AibAzCompatibility -Force -PassThru).Count | Should -Be $available.Count
            Get-TestTarget -AzName 'New-AzRoleAssignment' | Should -Be 'New-AibRoleAssignment'
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

Describe 'Stand-in for <AzName>' -Tag 'Unit' -ForEach @(
    @{ AzName = 'Remove-AzRoleAssignment'; AibName = 'Remove-AibRoleAssignment' }
    @{ AzName = 'Remove-AzUserAssignedIdentity'; AibName = 'Remove-AibUserAssignedIdentity' }
) {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        # A stand-in made from a small High impact command: what it forwards is what it would
        # forward to the Aib command.
        $target = New-Module -Name 'AibStandInTest' -ScriptBlock {
            function Remove-AibStandInTarget {
                [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
                param ([Parameter(Mandatory)] [string] $Name, [switch] $Force)
                if ($PSCmdlet.ShouldProcess($Name, 'Remove')) { "removed $Name" }
            }
        } | Import-Module -PassThru
        $definition = InModuleScope -ModuleName AibPermissions -Parameters @{ Command = (Get-Command -Name 'Remove-AibStandInTarget') } {
            param ($Command)
            Get-AibAzStandInDefinition -Command $Command
        }
        $standIn = [scriptblock]::Create($definition)
    }

    AfterAll {
        Remove-Module -Name 'AibStandInTest' -Force
    }

    It 'declares Medium confirm impact and keeps the parameters' {
        $definition | Should -Match "ConfirmImpact='Medium'"
        $definition | Should -Match '\$\{Name\}'
    }

    It 'runs the target without a prompt when $ConfirmPreference is High' {
        $ConfirmPreference = 'High'
        & $standIn -Name 'x' | Should -Be 'removed x'
    }

    It 'passes -WhatIf through, so nothing is removed' {
        & $standIn -Name 'x' -WhatIf | Should -BeNullOrEmpty
    }

    It 'is made for <AzName> by Enable-AibAzCompatibility when <AibName> exists' {
        $exists = [bool](Get-Command -Name $AibName -Module AibPermissions -ErrorAction Ignore)
        try {
            Enable-AibAzCompatibility
            if ($exists) {
                (Get-Command -Name $AzName).CommandType | Should -Be 'Function'
                (Get-Command -Name $AzName).Definition | Should -BeLike "# AibPermissions Az compatibility: $AibName*"
            } else {
                Get-Command -Name $AzName -ErrorAction Ignore | Should -BeNullOrEmpty
            }
        } finally {
            Disable-AibAzCompatibility
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
