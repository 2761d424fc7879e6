from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kindveilig.knowledge import display
from kindveilig.knowledge.loader import knowledge_base


@login_required
def index(request: HttpRequest) -> HttpResponse:
    kb = knowledge_base()
    query = request.GET.get("q", "").strip()[:100]
    hits = kb.search(query) if query else []
    lists = [
        {"name": name, "title": display.list_title(kl), "count": len(kl), "meta": kl.meta}
        for name, kl in sorted(kb.lists.items(), key=lambda item: display.list_title(item[1]))
    ]
    context = {"kb": kb, "lists": lists, "query": query, "hits": hits}
    return render(request, "knowledge/index.html", context)


@login_required
def list_detail(request: HttpRequest, list_name: str) -> HttpResponse:
    kb = knowledge_base()
    if list_name not in kb.lists:
        raise Http404
    knowledge_list = kb[list_name]
    context = {
        "kb": kb,
        "list_name": list_name,
        "knowledge_list": knowledge_list,
        "title": display.list_title(knowledge_list),
    }
    return render(request, "knowledge/list_detail.html", context)


@login_required
def entry_detail(request: HttpRequest, list_name: str, code: str) -> HttpResponse:
    kb = knowledge_base()
    if list_name not in kb.lists or code not in kb[list_name]:
        raise Http404
    knowledge_list = kb[list_name]
    entry = knowledge_list.get(code)
    context = {
        "kb": kb,
        "list_name": list_name,
        "knowledge_list": knowledge_list,
        "list_title": display.list_title(knowledge_list),
        "entry": entry,
        "attributes": display.entry_attributes(entry, knowledge_list),
    }
    return render(request, "knowledge/entry_detail.html", context)
