BeforeDiscovery {
    # Every exported command with a parameter that has a completer, as it stands today: a
    # command added later is checked without changing this file.
    $manifestPath = Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1'
    Import-Module -Name $manifestPath -Force
    $expected = @{
        Location           = 'westus2'
        ResourceGroupName  = 'rg-one'
        RoleDefinitionName = 'Reader'
        Scenario           = 'ImageCreation'
        SubscriptionId     = '00000000-0000-0000-0000-0000000000aa'
        Scope              = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-one'
        ObjectType         = 'ServicePrincipal'
    }
    $cases = foreach ($command in (Get-Module -Name AibPermissions).ExportedFunctions.Values) {
        foreach ($parameter in $command.Parameters.Keys) {
            if ($expected.ContainsKey($parameter)) {
                @{ Command = $command.Name; Parameter = $parameter; Value = $expected[$parameter] }
            } elseif ($parameter -like '?*ResourceGroupName') {
                @{ Command = $command.Name; Parameter = $parameter; Value = 'rg-one' }
            } elseif ($parameter -eq 'Name' -and $command.Name -like '*-AibUserAssignedIdentity') {
                @{ Command = $command.Name; Parameter = $parameter; Value = 'uai-one' }
            }
        }
    }
}

Describe 'Tab completion' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $sub = '00000000-0000-0000-0000-0000000000aa'
        InModuleScope -ModuleName AibPermissions -Parameters @{ Sub = $sub } {
            param ($Sub)
            # A stand-in client handle: Invoke-AibNative is mocked, nothing reaches the library.
            $script:AibSession.Client = [IntPtr]::new(1)
            $script:AibSession.Context = [pscustomobject]@{ SubscriptionId = $Sub; ArmEndpoint = 'https://127.0.0.1:1' }
            $script:AibSession.CompletionCache = @{}
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith {
            switch ($Operation) {
                'location.list' { [pscustomobject]@{ value = @([pscustomobject]@{ name = 'westus2'; displayName = 'West US 2' }, [pscustomobject]@{ name = 'eastus'; displayName = 'East US' }) } }
                'resourceGroup.list' { [pscustomobject]@{ value = @([pscustomobject]@{ id = "/subscriptions/$($Request.subscriptionId)/resourceGroups/rg-one"; name = 'rg-one'; location = 'westus2' }) } }
                'identity.list' { [pscustomobject]@{ value = @([pscustomobject]@{ name = 'uai-one'; resourceGroupName = 'rg-one' }) } }
                'roleDefinition.list' { [pscustomobject]@{ value = @([pscustomobject]@{ roleName = 'Reader'; roleType = 'BuiltInRole' }, [pscustomobject]@{ roleName = "O'Brien Role"; roleType = 'CustomRole' }) } }
                default { throw "unexpected operation $Operation" }
            }
        }

        function Get-Completion {
            param ([string] $Line)
            $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
            @($result.CompletionMatches | Where-Object { $_.ResultType -eq 'ParameterValue' } | ForEach-Object { $_.CompletionText })
        }
    }

    AfterAll {
        Reset-TestSession
    }

    It 'completes -<Parameter> of <Command>' -ForEach $cases {
        Get-Completion -Line "$Command -$Parameter " | Should -Contain $Value
    }

    It 'quotes a name with a space or a quote so the line still parses' {
        Get-Completion -Line 'New-AibRoleAssignment -RoleDefinitionName O' | Should -Be @("'O''Brien Role'")
    }

    It 'lists roles at the scope typed on the line' {
        $null = Get-Completion -Line 'New-AibRoleAssignment -Scope /subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-two -RoleDefinitionName '
        Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter {
            $Operation -eq 'roleDefinition.list' -and $Request.scope -eq '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-two'
        }
    }

    It 'lists from the subscription typed on the line rather than the context''s' {
        $other = '00000000-0000-0000-0000-0000000000bb'
        Get-Completion -Line "New-AibUserAssignedIdentity -SubscriptionId $other -ResourceGroupName " | Should -Be @('rg-one')
        Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter {
            $Operation -eq 'resourceGroup.list' -and $Request.subscriptionId -eq $other
        }
    }

    It 'reads a list once per connection' {
        $null = Get-Completion -Line 'New-AibUserAssignedIdentity -Location w'
        $null = Get-Completion -Line 'New-AibUserAssignedIdentity -Location e'
        Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -Scope It -ParameterFilter { $Operation -eq 'location.list' }
        InModuleScope -ModuleName AibPermissions { $script:AibSession.Client = [IntPtr]::new(2) }
        try {
            Get-Completion -Line 'New-AibUserAssignedIdentity -Location w' | Should -Be @('westus2')
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -Scope It -ParameterFilter { $Operation -eq 'location.list' }
        } finally {
            InModuleScope -ModuleName AibPermissions { $script:AibSession.Client = [IntPtr]::new(1) }
        }
    }

    It 'offers nothing, without a call, when no session is connected' {
        InModuleScope -ModuleName AibPermissions { $script:AibSession.Client = [IntPtr]::Zero }
        try {
            Get-Completion -Line 'New-AibUserAssignedIdentity -Location ea' | Should -BeNullOrEmpty
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -Scope It
        } finally {
            InModuleScope -ModuleName AibPermissions { $script:AibSession.Client = [IntPtr]::new(1) }
        }
    }
}
