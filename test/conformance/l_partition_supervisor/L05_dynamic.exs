# L05: DynamicSupervisors under a partition supervisor share the children out by key.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = PartitionSupervisor.start_link(child_spec: DynamicSupervisor, name: D, partitions: 3)
for i <- 0..5 do
  {:ok, _} = DynamicSupervisor.start_child({:via, PartitionSupervisor, {D, i}}, {Agent, fn -> i end})
end
T.show("active", Enum.map(0..2, fn p -> DynamicSupervisor.count_children({:via, PartitionSupervisor, {D, p}}).active end))
