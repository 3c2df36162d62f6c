Describe 'Get-AibUserAssignedIdentity against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'rg', 'rg01') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $a = New-AibUserAssignedIdentity -Name 'idA' -ResourceGroupName 'rg'
        $null = New-AibUserAssignedIdentity -Name 'idB' -ResourceGroupName 'rg'
        $null = New-AibUserAssignedIdentity -Name 'idC' -ResourceGroupName 'rg01'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when listing' {
        It 'lists every identity of the subscription without parameters' {
            $all = @(Get-AibUserAssignedIdentity)
            @($all.Name | Sort-Object) | Should -Be @('idA', 'idB', 'idC')
            ($all | Where-Object Name -eq 'idC').ResourceGroupName | Should -Be 'rg01'
            $all[0].PSObject.TypeNames | Should -Contain 'AibPermissions.UserAssignedIdentity'
        }

        It 'lists only the identities of the group named, not of a group whose name extends it' {
            @(Get-AibUserAssignedIdentity -ResourceGroupName 'rg').Name | Sort-Object | Should -Be @('idA', 'idB')
        }

        It 'gets one identity by name with the PrincipalId it was created with' {
            $one = Get-AibUserAssignedIdentity -Name 'idA' -ResourceGroupName 'rg'
            $one.PrincipalId | Should -Be $a.PrincipalId
            $one.Id | Should -Be $a.Id
        }

        It 'reads an identity object piped in' {
            ($a | Get-AibUserAssignedIdentity).ClientId | Should -Be $a.ClientId
        }
    }

    Context 'when the subscription given does not exist' {
        It 'fails for that subscription instead of reading the connected one' {
            $other = [guid]::NewGuid().ToString()
            $thrown = { Get-AibUserAssignedIdentity -SubscriptionId $other } | Should -Throw -ErrorId 'SubscriptionNotFound,Get-AibUserAssignedIdentity' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.TargetObject | Should -Be "/subscriptions/$other"
        }
    }

    Context 'when an identity is missing' {
        It 'reports ObjectNotFound' {
            { Get-AibUserAssignedIdentity -Name 'nothere' -ResourceGroupName 'rg' } | Should -Throw -ErrorId 'ResourceNotFound,Get-AibUserAssignedIdentity'
        }
    }
}
