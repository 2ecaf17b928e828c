# id: H09
# title: async_stream gives results in input order, never runs more than max_concurrency tasks, and reads the input lazily
Logger.configure(level: :none)

defmodule H09 do
  def run do
    {:links, initial_links} = Process.info(self(), :links)
    counter = :counters.new(2, [])
    input = Stream.map(1..10, fn i -> :counters.add(counter, 2, 1); i end)
    results =
      Task.async_stream(input, fn i ->
        :counters.add(counter, 1, 1)
        now = :counters.get(counter, 1)
        Process.sleep(10 - i)
        :counters.sub(counter, 1, 1)
        {i, now}
      end, max_concurrency: 3)
      |> Enum.take(2)
    IO.puts("first_two #{inspect(Enum.map(results, fn {:ok, {i, _}} -> i end))}")
    IO.puts("read_at_most #{:counters.get(counter, 2) <= 5}")
    all = Task.async_stream(1..10, fn i -> Process.sleep(rem(i * 7, 5)); i end, max_concurrency: 3) |> Enum.to_list()
    IO.puts("ordered #{inspect(all)}")
    unordered = Task.async_stream([30, 1], fn ms -> Process.sleep(ms); ms end, ordered: false) |> Enum.to_list()
    IO.puts("unordered #{inspect(unordered)}")
    {:links, links} = Process.info(self(), :links)
    IO.puts("links_left #{inspect(links -- initial_links)}")
  end
end

H09.run()
