# The Elixir twin of bench/workloads/task.ts: Task.async + Task.await, and Task.async_stream.
Code.require_file("bench_helper.exs", __DIR__)

defmodule TaskBench do
  @n 100_000

  def async_await do
    BenchHelper.ms(fn ->
      sum = Enum.reduce(0..(@n - 1), 0, fn i, acc -> acc + Task.await(Task.async(fn -> i end)) end)
      ^sum = div(@n * (@n - 1), 2)
    end)
  end

  def async_stream do
    BenchHelper.ms(fn ->
      sum =
        Task.async_stream(0..(@n - 1), fn i -> i end, max_concurrency: 8)
        |> Enum.reduce(0, fn {:ok, v}, acc -> acc + v end)
      ^sum = div(@n * (@n - 1), 2)
    end)
  end
end

BenchHelper.run(
  %{
    "task-async-await" => {&TaskBench.async_await/0, 7},
    "task-async-stream" => {&TaskBench.async_stream/0, 5}
  },
  System.argv()
)
