"""What the menu of every page needs to know about its reader."""

from scoring.models import PanelMember


def menu(request):
    user = request.user

    def sits_on_a_panel() -> bool:
        # Read only where the menu is drawn (a template calls it), once per page.
        return user.is_authenticated and PanelMember.objects.filter(evaluator=user).exists()

    return {"sits_on_a_panel": sits_on_a_panel}
