Describe 'Disable-AibAzCompatibility' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $map = @(InModuleScope -ModuleName AibPermissions { Get-AibAzCommandMap })

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
    }

    Context 'when compatibility is enabled' {
        BeforeEach {
            $enabled = @(Enable-AibAzCompatibility -PassThru)
        }

        It 'removes every alias Enable-AibAzCompatibility made' {
            $removed = @(Disable-AibAzCompatibility -PassThru)
            @($removed | ForEach-Object { $_.Name }) | Should -Be @($enabled | ForEach-Object { $_.Name })
            foreach ($entry in $map) {
                Get-Alias -Name $entry.AzName -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            }
        }

        It 'keeps the aliases with -WhatIf' {
            Disable-AibAzCompatibility -WhatIf
            (Get-Alias -Name 'New-AzRoleAssignment' -Scope Global).Definition | Should -Be 'New-AibRoleAssignment'
        }
    }

    Context 'when an alias of an Az name points elsewhere' {
        It 'leaves it alone' {
            Set-Alias -Name 'New-AzRoleAssignment' -Value 'Get-Date' -Scope Global
            Disable-AibAzCompatibility
            (Get-Alias -Name 'New-AzRoleAssignment' -Scope Global).Definition | Should -Be 'Get-Date'
        }
    }

    Context 'when nothing is enabled' {
        It 'does nothing and returns nothing' {
            Disable-AibAzCompatibility -PassThru | Should -BeNullOrEmpty
        }
    }
}
