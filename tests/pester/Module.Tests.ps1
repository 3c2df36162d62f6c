BeforeDiscovery {
    $moduleRoot = Join-Path -Path $PSScriptRoot -ChildPath '../../out/AibPermissions'
    $sourceRoot = Join-Path -Path $PSScriptRoot -ChildPath '../../powershell/AibPermissions'
    $publicNames = @(Get-ChildItem -Path (Join-Path -Path $sourceRoot -ChildPath 'Public') -Filter '*.ps1' | ForEach-Object { $_.BaseName })
    $moduleFiles = @(Get-ChildItem -Path $sourceRoot -Recurse -Include '*.ps1', '*.psm1', '*.psd1' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
    $csFiles = @(Get-ChildItem -Path $sourceRoot -Recurse -Filter '*.cs' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
    Import-Module -Name (Join-Path -Path $moduleRoot -ChildPath 'AibPermissions.psd1') -Force
    $exports = @(Get-Command -Module AibPermissions | ForEach-Object { @{ Name = $_.Name } })
}

Describe 'AibPermissions module' -Tag 'Module' {
    BeforeAll {
        Set-StrictMode -Version Latest
        $ErrorActionPreference = 'Stop'
        $moduleRoot = Join-Path -Path $PSScriptRoot -ChildPath '../../out/AibPermissions'
        $sourceRoot = Join-Path -Path $PSScriptRoot -ChildPath '../../powershell/AibPermissions'
        $manifestPath = Join-Path -Path $moduleRoot -ChildPath 'AibPermissions.psd1'
        Import-Module -Name $manifestPath -Force
        $manifest = Import-PowerShellDataFile -Path $manifestPath
    }

    Context 'when the manifest is read' {
        It 'passes Test-ModuleManifest' {
            { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
        }

        It 'declares PowerShell 5.1 and both editions' {
            $manifest.PowerShellVersion | Should -Be '5.1'
            $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        }

        It 'has the version of the Rust crate' {
            $cargo = Get-Content -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../../Cargo.toml') -Raw
            $null = $cargo -match '(?m)^version\s*=\s*"([^"]+)"'
            $manifest.ModuleVersion | Should -Be $Matches[1]
        }

        It 'exports exactly the functions in Public/' {
            $public = @(Get-ChildItem -Path (Join-Path -Path $sourceRoot -ChildPath 'Public') -Filter '*.ps1' | ForEach-Object { $_.BaseName } | Sort-Object)
            @($manifest.FunctionsToExport | Sort-Object) | Should -Be $public
            @(Get-Command -Module AibPermissions | ForEach-Object { $_.Name } | Sort-Object) | Should -Be $public
        }

        It 'exports no cmdlets, variables or aliases' {
            @($manifest.CmdletsToExport).Count | Should -Be 0
            @($manifest.VariablesToExport).Count | Should -Be 0
            @($manifest.AliasesToExport).Count | Should -Be 0
        }

        It 'carries the edition and platform tags' {
            foreach ($tag in 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS') {
                $manifest.PrivateData.PSData.Tags | Should -Contain $tag
            }
        }

        It 'lists the format file' {
            $manifest.FormatsToProcess | Should -Be @('AibPermissions.Format.ps1xml')
        }
    }

    Context 'when the format file is read' {
        It 'has a table view for each output type that fits 120 columns' {
            [xml]$format = Get-Content -LiteralPath (Join-Path -Path $sourceRoot -ChildPath 'AibPermissions.Format.ps1xml') -Raw
            foreach ($type in 'AibPermissions.UserAssignedIdentity', 'AibPermissions.RoleDefinition', 'AibPermissions.RoleAssignment') {
                $view = @($format.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq $type -and $_.PSObject.Properties['TableControl'] })
                $view.Count | Should -Be 1 -Because "$type needs a view"
                $headers = @($view[0].TableControl.TableHeaders.TableColumnHeader)
                $headers.Count | Should -BeIn @(4, 5)
                $fixed = ($headers | Where-Object { $_.PSObject.Properties['Width'] } | ForEach-Object { [int]$_.Width } | Measure-Object -Sum).Sum
                ($fixed + $headers.Count - 1) | Should -BeLessOrEqual 120
            }
        }
    }
}

Describe 'Help of <Name>' -Tag 'Module' -ForEach $exports {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
        $command = Get-Command -Name $Name
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$Name*[[]*"
    }

    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has two or more examples, each with a sentence' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.Examples.Example) {
            ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $common -notcontains $_ }) {
            $entry = $help.Parameters.Parameter | Where-Object { $_.Name -eq $parameter }
            ($entry.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs help"
        }
    }

    It 'declares an output type' {
        $command.OutputType.Count | Should -BeGreaterOrEqual 1
    }

    It 'has an OUTPUTS section and a LINK' {
        ($help.returnValues | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 1
    }
}

Describe 'Command conventions of <Name>' -Tag 'Module' -ForEach $exports {
    BeforeAll {
        $command = Get-Command -Name $Name
        $verb = $Name.Split('-')[0]
    }

    It 'uses an approved verb' {
        (Get-Verb | ForEach-Object { $_.Verb }) | Should -Contain $verb
    }

    It 'uses the Aib noun prefix' {
        $Name.Split('-')[1] | Should -BeLike 'Aib*'
    }

    It 'supports ShouldProcess when it changes state' {
        if ($verb -in 'New', 'Set', 'Remove', 'Start', 'Stop', 'Connect', 'Disconnect', 'Export', 'Grant', 'Enable', 'Disable') {
            $command.Parameters.Keys | Should -Contain 'WhatIf'
            $command.Parameters.Keys | Should -Contain 'Confirm'
        } else {
            $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }
}

Describe 'Windows PowerShell 5.1 safety of <Name>' -Tag 'Module' -ForEach $moduleFiles {
    BeforeAll {
        $tokens = $null
        $parseErrors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$parseErrors)
    }

    It 'parses' {
        $parseErrors | Should -BeNullOrEmpty
    }

    It 'uses no PowerShell 7-only operators (?. ?? ??= ?[ ternary && ||)' {
        $ps7 = @($tokens | Where-Object {
                $_.Kind -in @('QuestionDot', 'QuestionQuestion', 'QuestionQuestionEquals', 'QuestionLBracket', 'AndAnd', 'OrOr', 'QuestionMark')
            })
        $ps7 | ForEach-Object { "$($_.Kind) at line $($_.Extent.StartLineNumber)" } | Should -BeNullOrEmpty
        @($ast.FindAll({ param ($node) $node -is [System.Management.Automation.Language.TernaryExpressionAst] }, $true)).Count | Should -Be 0
        @($ast.FindAll({ param ($node) $node -is [System.Management.Automation.Language.PipelineChainAst] }, $true)).Count | Should -Be 0
    }

    It 'uses no -Parallel, clean blocks or PowerShell 7-only parameters' {
        $text = Get-Content -LiteralPath $Path -Raw
        $text | Should -Not -Match '-Parallel\b'
        $text | Should -Not -Match '(?m)^\s*clean\s*\{'
        $text | Should -Not -Match '-AsHashtable\b'
        $text | Should -Not -Match '\$Is(Windows|Linux|MacOS)\b'
        $text | Should -Not -Match 'utf8NoBOM'
    }

    It 'writes nothing with Write-Host and calls no aliases' {
        $commands = @($ast.FindAll({ param ($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() } | Where-Object { $_ })
        $commands | Should -Not -Contain 'Write-Host'
        $aliases = @(Get-Alias | ForEach-Object { $_.Name })
        @($commands | Where-Object { $aliases -contains $_ }) | Should -BeNullOrEmpty
    }

    It 'defines one function named as the file' {
        if ($Path -like '*Public*' -or $Path -like '*Private*') {
            $functions = @($ast.FindAll({ param ($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false))
            $functions.Count | Should -Be 1
            $functions[0].Name | Should -Be ([System.IO.Path]::GetFileNameWithoutExtension($Path))
        }
    }
}

Describe 'C# 5 safety of <Name>' -Tag 'Module' -ForEach $csFiles {
    BeforeAll {
        $text = Get-Content -LiteralPath $Path -Raw
        # Comments may mention anything; check code only.
        $code = [regex]::Replace($text, '(?m)//.*$', '')
    }

    It 'uses no interpolated strings' {
        $code | Should -Not -Match '\$"'
    }

    It 'uses no expression-bodied members' {
        $code | Should -Not -Match '\)\s*=>'
        $code | Should -Not -Match '\b(get|set)\s*=>'
    }

    It 'uses no out var, nameof, null-conditional or auto-property initialisers' {
        $code | Should -Not -Match '\bout\s+var\b'
        $code | Should -Not -Match '\bnameof\s*\('
        $code | Should -Not -Match '\?\.'
        $code | Should -Not -Match '\{\s*get;[^}]*\}\s*='
    }
}
